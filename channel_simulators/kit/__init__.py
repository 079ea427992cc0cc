"""The kit every simulated company is built on, so none of them carries its own copy of the plumbing.

``http`` requests, responses and refusals · ``app`` routing and a company's
error shape · ``server`` the serve loop and running as a process ·
``process`` starting one as a subprocess for tests · ``webhooks`` signing and
sending · ``faults`` injected failures · ``dialect`` what every in-memory
channel dialect has besides its API. Stdlib only, like the companies.
"""
