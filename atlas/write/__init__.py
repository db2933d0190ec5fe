"""Write: the output folder, prepared beside the site and swapped in at once; only changed bytes."""

from .output import Output, check_out_dir, mirror, place, read_stamp, spare_usable

__all__ = ["Output", "check_out_dir", "mirror", "place", "read_stamp", "spare_usable"]
