"""The working calendar: office hours, public holidays and the admin's days, for every deadline."""
