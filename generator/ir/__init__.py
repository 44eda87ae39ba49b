"""The intermediate model: frozen dataclasses that every vendor's spec is normalized into."""

from . import model, types
from .model import Api, Model, Operation, Resource
from .serialize import to_json, to_jsonable

__all__ = ["Api", "Model", "Operation", "Resource", "model", "to_json", "to_jsonable", "types"]
