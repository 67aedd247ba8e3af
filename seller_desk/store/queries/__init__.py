"""Read queries the screens and commands need, each taking the session it is given."""
