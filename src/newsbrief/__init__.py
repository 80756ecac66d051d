"""newsbrief: read many reports of a developing story and write a cited situation brief."""

from .errors import (
    AddressRefused,
    ExtractionError,
    FetchError,
    InputError,
    NewsbriefError,
    NoArticlesError,
    SchemaError,
)
from .fetch import Fetcher
from .pipeline import ReadResult, brief_from_inputs, read_articles, write_brief
from .records import (
    Article,
    Brief,
    Cited,
    Implication,
    RawDocument,
    Section,
    Sentence,
    Source,
)
from .render import render, validate
from .settings import SETTINGS, Config
from .sources import Problem
from .watch import Watcher
from .writers.extractive import ExtractiveWriter
from .writers.grounding import ground
from .writers.llm import LLMWriter, make_writer

__version__ = "0.1.0"

__all__ = [
    "AddressRefused",
    "Article",
    "Brief",
    "Cited",
    "Config",
    "ExtractionError",
    "ExtractiveWriter",
    "FetchError",
    "Fetcher",
    "Implication",
    "InputError",
    "LLMWriter",
    "NewsbriefError",
    "NoArticlesError",
    "Problem",
    "RawDocument",
    "ReadResult",
    "SETTINGS",
    "SchemaError",
    "Watcher",
    "Section",
    "Sentence",
    "Source",
    "brief_from_inputs",
    "ground",
    "make_writer",
    "read_articles",
    "render",
    "validate",
    "write_brief",
]
