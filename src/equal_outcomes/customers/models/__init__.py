from equal_outcomes.customers.models.needs import (
    AdjustmentStatus,
    CommunicationNeed,
    CommunicationPreference,
    Confidentiality,
    ReasonableAdjustment,
    SupportNeed,
)
from equal_outcomes.customers.models.people import Customer, Household, Tenancy
from equal_outcomes.customers.models.places import Area, Block, Estate, Property
from equal_outcomes.customers.models.profile import AnswerState, ProfileAnswer
from equal_outcomes.customers.models.rights import Correction, EmergencyAccess, RestrictedDetails

__all__ = [
    "AdjustmentStatus",
    "AnswerState",
    "Area",
    "Block",
    "CommunicationNeed",
    "CommunicationPreference",
    "Confidentiality",
    "Correction",
    "Customer",
    "EmergencyAccess",
    "Estate",
    "Household",
    "ProfileAnswer",
    "Property",
    "ReasonableAdjustment",
    "RestrictedDetails",
    "SupportNeed",
    "Tenancy",
]
