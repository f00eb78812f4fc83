"""One row of the results table: a figure for sockit and for each peer measured in the same run."""
from dataclasses import asdict, dataclass, field

PEERS = ("ncat", "nc", "socat")
FULL_ONLY = "(full run only)"  # peers are measured in the full run; the quick (CI) run checks sockit's goals


@dataclass
class Row:
    key: str            # short, stable: what KNOWN_FAILING names
    scenario: str
    figure: str
    sockit: str
    goal: str
    met: bool
    peers: dict = field(default_factory=dict)   # peer name -> its figure, same load, same run
    note: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def header() -> str:
    return ("| scenario | figure | sockit | " + " | ".join(PEERS) + " | goal | met |\n"
            "|---|---|---|" + "---|" * len(PEERS) + "---|---|")


def markdown(row: dict, known_failing: str | None = None) -> str:
    peers = [row["peers"].get(p, "—") for p in PEERS]
    met = "yes" if row["met"] else ("**no** (" + known_failing + ")" if known_failing else "**no**")
    figure = row["figure"] + (f" ({row['note']})" if row["note"] else "")
    return "| " + " | ".join([row["scenario"], figure, row["sockit"], *peers, row["goal"], met]) + " |"
