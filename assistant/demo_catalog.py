"""The demo store's taxonomy: categories, product nouns, brands, INR price bands, attributes."""

from __future__ import annotations

# top category -> sub category -> (nouns, brands, (min, max) price in INR for the base pack, sizes)
TAXONOMY: dict[str, dict[str, tuple[list[str], list[str], tuple[int, int], list[str]]]] = {
    "Fruits & Vegetables": {
        "Fresh Fruits": (
            [
                "Banana Robusta",
                "Apple Shimla",
                "Pomegranate",
                "Papaya",
                "Mango Alphonso",
                "Kiwi Green",
                "Orange Nagpur",
                "Guava",
            ],
            ["Fresho", "Organic Farm", "Kisan Fresh"],
            (40, 260),
            ["500 g", "1 kg", "2 kg"],
        ),
        "Fresh Vegetables": (
            [
                "Tomato Hybrid",
                "Onion",
                "Potato",
                "Capsicum Green",
                "Carrot Ooty",
                "Cauliflower",
                "Spinach",
                "Ladies Finger",
            ],
            ["Fresho", "Organic Farm", "Kisan Fresh"],
            (20, 120),
            ["250 g", "500 g", "1 kg"],
        ),
        "Herbs & Seasonings": (
            ["Coriander Leaves", "Mint Leaves", "Curry Leaves", "Ginger", "Garlic", "Green Chilli"],
            ["Fresho", "Organic Farm"],
            (10, 80),
            ["100 g", "250 g"],
        ),
    },
    "Beverages": {
        "Tea": (
            ["Assam Tea", "Green Tea", "Masala Chai", "Darjeeling Tea", "Tulsi Green Tea"],
            ["Tata Tea", "Red Label", "Taj Mahal", "Organic India", "Tetley"],
            (90, 550),
            ["100 g", "250 g", "500 g"],
        ),
        "Coffee": (
            ["Instant Coffee", "Filter Coffee Powder", "Cold Brew Coffee", "Coffee Beans"],
            ["Nescafe", "Bru", "Continental", "Blue Tokai"],
            (120, 750),
            ["50 g", "100 g", "200 g"],
        ),
        "Juices & Drinks": (
            ["Mixed Fruit Juice", "Orange Juice", "Coconut Water", "Mango Drink", "Lemon Drink"],
            ["Real", "Tropicana", "Paper Boat", "Raw Pressery"],
            (30, 220),
            ["200 ml", "1 L"],
        ),
        "Soft Drinks": (
            ["Cola", "Lemon Soda", "Ginger Ale", "Tonic Water", "Energy Drink"],
            ["Coca-Cola", "Thums Up", "Sprite", "Red Bull", "Schweppes"],
            (20, 130),
            ["300 ml", "750 ml", "2 L"],
        ),
    },
    "Snacks & Branded Foods": {
        "Chips & Namkeen": (
            [
                "Potato Chips Salted",
                "Aloo Bhujia",
                "Masala Peanuts",
                "Nachos Cheese",
                "Khatta Meetha Mix",
            ],
            ["Lays", "Haldirams", "Bikaji", "Doritos", "Balaji"],
            (10, 180),
            ["50 g", "150 g", "400 g"],
        ),
        "Biscuits & Cookies": (
            [
                "Digestive Biscuits",
                "Chocolate Chip Cookies",
                "Cream Biscuits",
                "Marie Biscuits",
                "Oat Cookies",
            ],
            ["Britannia", "Parle", "Sunfeast", "McVities", "Unibic"],
            (20, 160),
            ["100 g", "250 g", "500 g"],
        ),
        "Breakfast Cereals": (
            ["Corn Flakes", "Muesli Fruit & Nut", "Rolled Oats", "Chocos", "Granola"],
            ["Kelloggs", "Quaker", "Yoga Bar", "Bagrrys"],
            (120, 480),
            ["250 g", "500 g", "1 kg"],
        ),
        "Chocolates": (
            ["Milk Chocolate", "Dark Chocolate 70%", "Wafer Bar", "Fruit & Nut Bar"],
            ["Cadbury", "Amul", "Nestle", "Lindt"],
            (20, 350),
            ["40 g", "100 g", "150 g"],
        ),
    },
    "Staples": {
        "Rice & Rice Products": (
            ["Basmati Rice", "Sona Masoori Rice", "Brown Rice", "Poha"],
            ["India Gate", "Daawat", "Fortune", "24 Mantra"],
            (60, 900),
            ["1 kg", "5 kg"],
        ),
        "Atta & Flours": (
            ["Whole Wheat Atta", "Multigrain Atta", "Besan", "Ragi Flour"],
            ["Aashirvaad", "Pillsbury", "Fortune", "24 Mantra"],
            (50, 520),
            ["1 kg", "5 kg", "10 kg"],
        ),
        "Dals & Pulses": (
            ["Toor Dal", "Moong Dal", "Chana Dal", "Masoor Dal", "Rajma"],
            ["Tata Sampann", "24 Mantra", "Fresho"],
            (90, 260),
            ["500 g", "1 kg"],
        ),
        "Edible Oils": (
            ["Sunflower Oil", "Mustard Oil", "Groundnut Oil", "Olive Oil Extra Virgin"],
            ["Fortune", "Saffola", "Figaro", "Dhara"],
            (140, 1200),
            ["1 L", "5 L"],
        ),
    },
    "Dairy & Bakery": {
        "Milk & Curd": (
            ["Toned Milk", "Curd", "Greek Yogurt", "Buttermilk"],
            ["Amul", "Mother Dairy", "Nandini", "Epigamia"],
            (25, 120),
            ["200 ml", "500 ml", "1 L"],
        ),
        "Butter & Cheese": (
            ["Salted Butter", "Cheese Slices", "Mozzarella Cheese", "Paneer"],
            ["Amul", "Britannia", "Go", "Milky Mist"],
            (50, 480),
            ["100 g", "200 g", "500 g"],
        ),
        "Breads & Buns": (
            ["Whole Wheat Bread", "Multigrain Bread", "Burger Buns", "Pav"],
            ["Modern", "Harvest Gold", "English Oven", "Britannia"],
            (30, 70),
            ["400 g"],
        ),
    },
    "Household": {
        "Detergents & Dishwash": (
            [
                "Detergent Powder",
                "Liquid Detergent",
                "Dishwash Gel",
                "Dishwash Bar",
                "Fabric Conditioner",
            ],
            ["Surf Excel", "Ariel", "Tide", "Vim", "Comfort"],
            (30, 650),
            ["500 g", "1 kg", "2 kg"],
        ),
        "Cleaners": (
            [
                "Floor Cleaner",
                "Toilet Cleaner",
                "Glass Cleaner",
                "Disinfectant Spray",
                "Kitchen Cleaner",
            ],
            ["Lizol", "Harpic", "Colin", "Dettol", "Domex"],
            (80, 420),
            ["500 ml", "1 L", "2 L"],
        ),
        "Garbage Bags & Tissues": (
            ["Garbage Bags Medium", "Kitchen Towel Roll", "Facial Tissues", "Toilet Paper Roll"],
            ["Ezee", "Origami", "Selpak", "Premier"],
            (60, 380),
            ["1 pack", "3 pack"],
        ),
        "Pooja Needs": (
            ["Agarbatti", "Camphor", "Brass Diya", "Cotton Wicks"],
            ["Cycle", "Mangaldeep", "Trm", "Zed Black"],
            (25, 450),
            ["1 pack", "3 pack"],
        ),
    },
    "Personal Care": {
        "Hair Care": (
            [
                "Anti-Dandruff Shampoo",
                "Conditioner",
                "Coconut Hair Oil",
                "Hair Serum",
                "Onion Hair Oil",
            ],
            ["Dove", "Head & Shoulders", "Parachute", "Mamaearth", "L'Oreal"],
            (90, 700),
            ["100 ml", "200 ml", "400 ml"],
        ),
        "Skin Care": (
            [
                "Face Wash",
                "Moisturising Lotion",
                "Sunscreen SPF 50",
                "Aloe Vera Gel",
                "Night Cream",
            ],
            ["Nivea", "Himalaya", "Cetaphil", "Lakme", "Plum"],
            (120, 900),
            ["50 ml", "100 ml", "200 ml"],
        ),
        "Bath & Hand Wash": (
            ["Bathing Soap", "Body Wash", "Hand Wash Refill", "Sanitizer"],
            ["Dettol", "Lifebuoy", "Pears", "Dove", "Savlon"],
            (35, 320),
            ["1 pack", "3 pack"],
        ),
        "Oral Care": (
            ["Toothpaste", "Toothbrush Soft", "Mouthwash", "Dental Floss"],
            ["Colgate", "Sensodyne", "Oral-B", "Pepsodent", "Listerine"],
            (40, 350),
            ["1 pack", "2 pack"],
        ),
    },
    "Kitchen & Dining": {
        "Cookware": (
            [
                "Non-Stick Tawa",
                "Pressure Cooker",
                "Kadai Stainless Steel",
                "Frying Pan",
                "Sauce Pan",
            ],
            ["Prestige", "Hawkins", "Pigeon", "Butterfly"],
            (450, 3200),
            ["Small", "Medium", "Large"],
        ),
        "Storage & Containers": (
            ["Water Bottle", "Lunch Box", "Storage Jar Set", "Fridge Container Set"],
            ["Milton", "Cello", "Tupperware", "Borosil"],
            (150, 1400),
            ["500 ml", "1 L", "Set of 3"],
        ),
        "Kitchen Tools": (
            ["Vegetable Chopper", "Knife Set", "Peeler", "Cutting Board", "Measuring Spoons"],
            ["Pigeon", "Victorinox", "Prestige", "Ikea"],
            (90, 1600),
            ["Single", "Set"],
        ),
    },
    "Electronics Accessories": {
        "Mobile Accessories": (
            [
                "Fast Charger 20W",
                "USB-C Cable",
                "Power Bank 10000 mAh",
                "Phone Case",
                "Screen Guard",
            ],
            ["boAt", "Anker", "Mi", "Portronics", "Ambrane"],
            (199, 2500),
            ["Black", "White", "Blue"],
        ),
        "Audio": (
            ["Wireless Earbuds", "Neckband Earphones", "Bluetooth Speaker", "Wired Earphones"],
            ["boAt", "JBL", "Noise", "Sony", "realme"],
            (399, 4999),
            ["Black", "White", "Blue"],
        ),
        "Computer Accessories": (
            ["Wireless Mouse", "Keyboard", "Laptop Stand", "USB Hub", "Pen Drive 64 GB"],
            ["Logitech", "HP", "Dell", "SanDisk", "Portronics"],
            (299, 3500),
            ["Black", "Grey"],
        ),
    },
    "Baby Care": {
        "Diapers & Wipes": (
            ["Diaper Pants Medium", "Diaper Pants Large", "Baby Wipes", "Diaper Rash Cream"],
            ["Pampers", "Huggies", "MamyPoko", "Himalaya"],
            (150, 1400),
            ["1 pack", "2 pack"],
        ),
        "Baby Food": (
            ["Cereal Wheat Apple", "Infant Formula Stage 1", "Baby Puree", "Ragi Porridge Mix"],
            ["Cerelac", "Nestle", "Slurrp Farm", "Early Foods"],
            (180, 850),
            ["300 g", "400 g"],
        ),
    },
}

ADJECTIVES = ["Premium", "Classic", "Select", "Everyday", "Value", "Gold", "Super", "Daily"]
FEATURES = [
    "quality checked before dispatch",
    "sourced from trusted suppliers",
    "hygienically packed",
    "great value for families",
    "loved by regular shoppers",
    "easy to store and use",
]
CITIES = [
    ("Bengaluru", "KA", "5600"),
    ("Mumbai", "MH", "4000"),
    ("Delhi", "DL", "1100"),
    ("Chennai", "TN", "6000"),
    ("Hyderabad", "TS", "5000"),
    ("Pune", "MH", "4110"),
]
FIRST_NAMES = [
    "Aarav",
    "Diya",
    "Vivaan",
    "Ananya",
    "Ishaan",
    "Saanvi",
    "Kabir",
    "Meera",
    "Arjun",
    "Riya",
    "Rohan",
    "Priya",
    "Aditya",
    "Kavya",
    "Nikhil",
    "Sneha",
    "Rahul",
    "Pooja",
    "Vikram",
    "Neha",
]
LAST_NAMES = [
    "Sharma",
    "Iyer",
    "Patel",
    "Reddy",
    "Nair",
    "Gupta",
    "Singh",
    "Rao",
    "Menon",
    "Das",
    "Kulkarni",
    "Joshi",
    "Bose",
    "Khan",
    "Pillai",
]
PAYMENT_METHODS = ["upi", "credit_card", "debit_card", "cash_on_delivery", "wallet"]
