"""Journal and preprint feeds a radar can name instead of a URL: `- preset: nature`.

Each entry is the publisher's own table-of-contents feed (README, "Feed presets"). bioRxiv and
medRxiv subject feeds are `biorxiv-SUBJECT` / `medrxiv-SUBJECT`, e.g. `biorxiv-neuroscience`."""

from __future__ import annotations

from .models import FeedSource

JOURNALS: dict[str, tuple[str, str]] = {
    "nature": ("Nature", "https://www.nature.com/nature.rss"),
    "nature-communications": ("Nature Communications", "https://www.nature.com/ncomms.rss"),
    "science": ("Science", "https://www.science.org/action/showFeed?type=etoc&feed=rss&jc=science"),
    "science-advances": (
        "Science Advances",
        "https://www.science.org/action/showFeed?type=etoc&feed=rss&jc=sciadv",
    ),
    "pnas": ("PNAS", "https://www.pnas.org/action/showFeed?type=etoc&feed=rss&jc=pnas"),
    "cell": ("Cell", "https://www.cell.com/cell/current.rss"),
    "plos-one": ("PLOS ONE", "https://journals.plos.org/plosone/feed/atom"),
    "plos-biology": ("PLOS Biology", "https://journals.plos.org/plosbiology/feed/atom"),
    "prl": ("Physical Review Letters", "https://feeds.aps.org/rss/recent/prl.xml"),
    "nejm": ("NEJM", "https://www.nejm.org/action/showFeed?jc=nejm&type=etoc&feed=rss"),
    "lancet": ("The Lancet", "https://www.thelancet.com/rssfeed/lancet_current.xml"),
}

BIORXIV_SUBJECTS = (
    "animal_behavior_and_cognition",
    "biochemistry",
    "bioengineering",
    "bioinformatics",
    "biophysics",
    "cancer_biology",
    "cell_biology",
    "clinical_trials",
    "developmental_biology",
    "ecology",
    "epidemiology",
    "evolutionary_biology",
    "genetics",
    "genomics",
    "immunology",
    "microbiology",
    "molecular_biology",
    "neuroscience",
    "paleontology",
    "pathology",
    "pharmacology_and_toxicology",
    "physiology",
    "plant_biology",
    "scientific_communication_and_education",
    "synthetic_biology",
    "systems_biology",
    "zoology",
)
MEDRXIV_SUBJECTS = (
    "addiction_medicine",
    "allergy_and_immunology",
    "anesthesia",
    "cardiovascular_medicine",
    "dermatology",
    "emergency_medicine",
    "endocrinology",
    "epidemiology",
    "gastroenterology",
    "genetic_and_genomic_medicine",
    "health_economics",
    "health_informatics",
    "health_policy",
    "health_systems_and_quality_improvement",
    "hematology",
    "hiv_aids",
    "infectious_diseases",
    "intensive_care_and_critical_care_medicine",
    "medical_education",
    "medical_ethics",
    "nephrology",
    "neurology",
    "nursing",
    "nutrition",
    "obstetrics_and_gynecology",
    "occupational_and_environmental_health",
    "oncology",
    "ophthalmology",
    "orthopedics",
    "otolaryngology",
    "pain_medicine",
    "palliative_medicine",
    "pathology",
    "pediatrics",
    "pharmacology_and_therapeutics",
    "primary_care_research",
    "psychiatry_and_clinical_psychology",
    "public_and_global_health",
    "radiology_and_imaging",
    "rehabilitation_medicine_and_physical_therapy",
    "respiratory_medicine",
    "rheumatology",
    "sexual_and_reproductive_health",
    "sports_medicine",
    "surgery",
    "toxicology",
    "transplantation",
    "urology",
)
SERVERS = {"biorxiv": ("bioRxiv", BIORXIV_SUBJECTS), "medrxiv": ("medRxiv", MEDRXIV_SUBJECTS)}


def subject_label(subject: str) -> str:
    """'animal_behavior_and_cognition' → 'Animal Behavior and Cognition', as bioRxiv shows it."""
    words = subject.replace("-", "_").split("_")
    small = {"and", "of", "in"}
    return " ".join(w if w in small and i else w.capitalize() for i, w in enumerate(words))


def preset_names() -> list[str]:
    names = list(JOURNALS)
    for server, (_, subjects) in SERVERS.items():
        names += [f"{server}-{s.replace('_', '-')}" for s in subjects]
    return names


def find_preset(name: str) -> FeedSource | None:
    """The preset called `name` (case and '_'/'-' ignored), or None."""
    key = name.strip().lower().replace("_", "-")
    if key in JOURNALS:
        label, url = JOURNALS[key]
        return FeedSource(name=label, url=url, preset=key)
    server, _, subject = key.partition("-")
    if server in SERVERS and subject.replace("-", "_") in SERVERS[server][1]:
        label, _ = SERVERS[server]
        slug = subject.replace("-", "_")
        url = f"https://connect.{server}.org/{server}_xml.php?subject={slug}"
        return FeedSource(name=f"{label} ({subject_label(slug)})", url=url, preset=key)
    return None
