"""Contacts and identifiers: phone numbers, e-mail addresses, social links, public directories.

Pure functions shared by the validator (what is accepted, normalised how) and the pages (how it
reads in French, where it links). Phone numbers are stored in E.164 (`+33320123456`) and shown
the way French readers write them (« 03 20 12 34 56 »); numbers of other countries in their
international form.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit


# French numbers dialled with a 0: metropolitan France, then the overseas departments and
# communities that share the 10-digit plan (0262 Réunion, 0590 Guadeloupe…), tried in this order.
FRENCH_REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF")
ANNUAIRE = "https://annuaire-entreprises.data.gouv.fr"
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
                   r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
RNA = re.compile(r"^W\d[\dAB]\d{7}$")  # W, then the département (2A, 2B for Corsica), then the number

# Host (without www.) -> network name. Hosts not listed are shown by their own name: Mastodon
# and the other federated networks have thousands of servers, a name guessed would be wrong.
NETWORKS: dict[str, str] = {
    "facebook.com": "Facebook", "fb.com": "Facebook", "m.facebook.com": "Facebook",
    "instagram.com": "Instagram", "linkedin.com": "LinkedIn", "fr.linkedin.com": "LinkedIn",
    "x.com": "X (Twitter)", "twitter.com": "X (Twitter)", "youtube.com": "YouTube", "youtu.be": "YouTube",
    "m.youtube.com": "YouTube", "tiktok.com": "TikTok", "bsky.app": "Bluesky", "threads.net": "Threads",
    "threads.com": "Threads", "vimeo.com": "Vimeo", "pinterest.com": "Pinterest", "fr.pinterest.com": "Pinterest",
    "twitch.tv": "Twitch", "github.com": "GitHub", "gitlab.com": "GitLab", "framagit.org": "Framagit",
    "dailymotion.com": "Dailymotion", "soundcloud.com": "SoundCloud", "flickr.com": "Flickr",
    "helloasso.com": "HelloAsso", "mastodon.social": "Mastodon", "mastodon.online": "Mastodon",
    "mamot.fr": "Mastodon", "piaille.fr": "Mastodon", "framapiaf.org": "Mastodon", "mstdn.social": "Mastodon",
    "social.coop": "Mastodon", "mastodon.xyz": "Mastodon", "pixelfed.social": "Pixelfed",
    "peertube.fr": "PeerTube", "framatube.org": "PeerTube",
}


def parse_phone(text: str) -> str:
    """A phone number as written -> E.164; ValueError when no numbering plan knows it."""
    import phonenumbers  # here: 22 ms to import, and most builds read no phone number

    regions = FRENCH_REGIONS if text.lstrip().startswith("0") else ("FR",)
    for region in regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException as exc:
            raise ValueError(str(exc)) from exc
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise ValueError("no such number")


def phone_display(e164: str) -> str:
    """« 03 20 12 34 56 » for a French number, « +32 2 512 34 56 » otherwise; no-break spaces."""
    import phonenumbers

    number = phonenumbers.parse(e164, None)
    french = phonenumbers.region_code_for_number(number) in FRENCH_REGIONS
    style = phonenumbers.PhoneNumberFormat.NATIONAL if french else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style).replace(" ", "\u00a0")


def phone_link(e164: str) -> str:
    """The tel: URI (RFC 3966) of a number in E.164."""
    return f"tel:{e164}"


def social_label(url: str) -> str:
    """The network a link leads to, from its host: « Facebook », « LinkedIn »; else the host name."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return NETWORKS.get(host, host)


def siret_url(siret: str) -> str:
    return f"{ANNUAIRE}/etablissement/{siret}"


def siren_url(siren: str) -> str:
    return f"{ANNUAIRE}/entreprise/{siren}"


def rna_url(rna: str) -> str:
    """The directory's search for an association's RNA number (it has no page keyed by it)."""
    return f"{ANNUAIRE}/rechercher?terme={rna}"


def group_digits(number: str, size: int = 3) -> str:
    """« 732 829 320 00074 » for a SIRET, « 732 829 320 » for a SIREN, as the directories print them."""
    head, tail = (number[:9], number[9:]) if len(number) == 14 else (number, "")
    grouped = "\u00a0".join(head[i:i + size] for i in range(0, len(head), size))
    return f"{grouped}\u00a0{tail}" if tail else grouped
