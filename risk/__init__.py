"""Risk owns fraud and abuse signals: order risk scores, rules, the operators' review queue and decisions.
Scoring maths lives in a pure module; risk must not block or change orders itself beyond calling the
orders services with its decision."""
