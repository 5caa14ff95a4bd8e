"""Equal Outcomes: know your customers and evidence equal outcomes."""
