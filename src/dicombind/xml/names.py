"""The names of the Native DICOM Model (PS3.19 A.1.6) that the XML writer, reader and scanner
share: the namespace, the element names and the person name parts in schema order."""

from __future__ import annotations

NATIVE_DICOM_NAMESPACE = "http://dicom.nema.org/PS3.19/models/NativeDICOM"

ROOT = "NativeDicomModel"
DICOM_ATTRIBUTE = "DicomAttribute"
VALUE = "Value"
ITEM = "Item"
PERSON_NAME = "PersonName"
INLINE_BINARY = "InlineBinary"
BULK_DATA = "BulkData"

# PersonName children in schema order.
NAME_GROUPS = ("Alphabetic", "Ideographic", "Phonetic")
NAME_COMPONENTS = ("FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix")
SINGLE_BYTE = "SingleByte"
"""The 2011 name of the Alphabetic group (GDCM still writes it); readers take it as Alphabetic."""
