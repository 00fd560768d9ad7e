"""finetune library."""
