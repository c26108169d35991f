"""The bridge between pydicom data sets and the IR, shared by the XML and JSON models."""

from dicombind.bridge.from_ir import ir_to_dataset, ir_to_file_dataset
from dicombind.bridge.to_ir import dataset_to_ir

__all__ = ["dataset_to_ir", "ir_to_dataset", "ir_to_file_dataset"]
