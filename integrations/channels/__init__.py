"""Channel modules and the contract they implement (see ``base``)."""
