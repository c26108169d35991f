"""dicombind: pydicom <-> DICOM XML (PS3.19) and JSON (PS3.18) bindings."""

__version__ = "0.1.0"
