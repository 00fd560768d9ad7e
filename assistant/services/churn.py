"""Shoppers at risk of churning: the behaviour predictor's churn score for every shopper, the
riskiest first (GET /v1/admin/churn, `shopassist analytics churn`).

Scores are as of the later of the model's cutoff and the log's last event (recs.scored_at), as
recs.churn_risk scores one customer. The churn model is trained by `shopassist train behavior`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant.services.records import AtRiskShopper, ChurnList
from assistant.services.recs import behaviour_model, feature_contributions, scored_at
from assistant.services.recs_train import interaction_events
from assistant.services.state import AppState


def at_risk(state: AppState, db: Session, limit: int = 50) -> ChurnList:
    """The limit shoppers most likely to go quiet for the model's churn_days, with why."""
    model = behaviour_model(state, "churn")
    events = interaction_events(db)
    if events.empty:
        return ChurnList(
            as_of=None, churn_days=model.config.churn_days, threshold=None, shoppers=[]
        )
    now = scored_at(model, events)
    x = model.features(events, now)
    risk = model.predict(x)
    order = risk.argsort()[::-1][:limit]
    shoppers = [
        AtRiskShopper(
            user_id=str(x.index[i]),
            churn_risk=round(float(risk[i]), 4),
            at_risk=bool(risk[i] >= model.threshold),
            hours_since_last_event=round(float(x["u_last_h"].iloc[i]), 1),
            top_features=feature_contributions(model.contributions(x.iloc[[i]], 3)),
        )
        for i in order
    ]
    return ChurnList(
        as_of=now,
        churn_days=model.config.churn_days,
        threshold=round(model.threshold, 4),
        shoppers=shoppers,
    )
