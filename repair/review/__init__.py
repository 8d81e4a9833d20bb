"""Human review of repairs: a static HTML report and a local accept/reject web app."""
