from .models import NetworkProfile


def network(request) -> dict:
    """The network's one phone number and address, for the header and footer of every page."""
    return {"network": NetworkProfile.for_request(request)}
