"""The API's own error answers: 409 Conflict and 412 Precondition Failed."""

from rest_framework import exceptions, status


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The change conflicts with other records."
    default_code = "conflict"


class DeleteConflict(Conflict):
    """409 for a delete the rules refuse: ``detail``, and the records that refer to it."""

    def __init__(self, plan):
        super().__init__(plan.message())
        self.body = {
            "detail": plan.message(),
            "cascade_allowed": plan.cascade_would_allow,
            "blocking": plan.blocking_summary(),
        }


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record has changed since the ETag given in If-Match: read it again."
    default_code = "precondition_failed"
