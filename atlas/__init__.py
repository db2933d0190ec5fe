"""Atlas ESS: a static site generator for atlases of the social and solidarity economy."""

__version__ = "0.1.0"
