"""The ``dicombind`` command: convert between DICOM files, PS3.19 XML and PS3.18 JSON.

Every command writes its output only when the whole conversion succeeded (atomically, so no
partial output file is ever left) and reports a failure as one line on stderr with a non-zero
exit code: 1 for bad input or a failed conversion, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import io
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset, FileDataset
from pydicom.uid import ExplicitVRLittleEndian

from dicombind import json as dicom_json
from dicombind import xml as dicom_xml
from dicombind.bridge import dataset_to_ir
from dicombind.errors import DicombindError
from dicombind.json.reader import read_json
from dicombind.json.writer import write_json
from dicombind.options import JSONWriteOptions, XMLWriteOptions
from dicombind.streams import write_file_atomically
from dicombind.xml.reader import read_xml
from dicombind.xml.writer import write_xml


class CommandError(Exception):
    """A failure to report as one line."""


def _read_bytes(path: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _emit(text_or_bytes: str | bytes, out: str | None) -> None:
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    if out is None or out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        write_file_atomically(out, data)
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from exc


def _read_dicom(path: str, force: bool) -> Dataset:
    try:
        return pydicom.dcmread(io.BytesIO(_read_bytes(path)), force=force)
    except CommandError:
        raise
    except Exception as exc:
        raise CommandError(f"{path} is not a DICOM file pydicom can read: {exc}") from exc


def _dicom_file_bytes(ds: Dataset) -> bytes:
    """A complete DICOM file (PS3.10): preamble, file meta, data set padded to even lengths."""
    if not isinstance(ds, FileDataset):
        ds = FileDataset("", ds, file_meta=pydicom.dataset.FileMetaDataset(), preamble=None)
    if "TransferSyntaxUID" not in ds.file_meta:
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    buffer = io.BytesIO()
    try:
        pydicom.dcmwrite(buffer, ds, enforce_file_format=True)
    except Exception as exc:
        raise CommandError(f"cannot write a DICOM file: {exc}") from exc
    return buffer.getvalue()


def _xml_options(args: argparse.Namespace) -> XMLWriteOptions:
    return XMLWriteOptions(
        pretty=args.pretty,
        namespace=not args.no_namespace,
        keyword=not args.no_keyword,
        xml_space=args.xml_space,
    )


def _json_options(args: argparse.Namespace) -> JSONWriteOptions:
    return JSONWriteOptions(
        indent=args.indent,
        number_handling=args.number_handling,
        use_keywords_as_keys=args.keywords_as_keys,
    )


def cmd_dcm2xml(args: argparse.Namespace) -> None:
    # What dicom_xml.dumps does, with the options already gathered in one object.
    ds = _read_dicom(args.input, args.force)
    _emit(write_xml(dataset_to_ir(ds), _xml_options(args)), args.output)


def cmd_xml2dcm(args: argparse.Namespace) -> None:
    ds = dicom_xml.loads(_read_bytes(args.input))
    _emit(_dicom_file_bytes(ds), args.output)


def cmd_dcm2json(args: argparse.Namespace) -> None:
    ds = _read_dicom(args.input, args.force)
    _emit(write_json(dataset_to_ir(ds), _json_options(args)), args.output)


def cmd_json2dcm(args: argparse.Namespace) -> None:
    ds = dicom_json.loads(_read_bytes(args.input))
    _emit(_dicom_file_bytes(ds), args.output)


def cmd_xml2json(args: argparse.Namespace) -> None:
    # Straight from model to model: private blocks are placed by the XML reader, bulk data
    # URIs pass through untouched, and no value goes through pydicom.
    _emit(write_json(read_xml(_read_bytes(args.input)), _json_options(args)), args.output)


def cmd_json2xml(args: argparse.Namespace) -> None:
    _emit(write_xml(read_json(_read_bytes(args.input)), _xml_options(args)), args.output)


def cmd_validate(args: argparse.Namespace) -> None:
    data = _read_bytes(args.input)
    kind = args.format or _sniff(args.input, data)
    violations = dicom_xml.validate(data) if kind == "xml" else dicom_json.validate(data)
    if violations:
        for violation in violations:
            print(f"{args.input}: {violation}", file=sys.stderr)
        raise CommandError(f"{args.input}: {len(violations)} violation(s) of the {kind} model")
    print(f"{args.input}: valid {kind}")


def _sniff(path: str, data: bytes) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".xml", ".json"):
        return suffix[1:]
    first = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first == b"<":
        return "xml"
    if first in (b"{", b"["):
        return "json"
    raise CommandError(f"{path}: neither XML nor JSON (use --format)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dicombind", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"dicombind {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str,
        handler: Callable[[argparse.Namespace], None],
        help_text: str,
        output: str = "optional",
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("input", help="input file ('-' for standard input)")
        if output == "required":
            sub.add_argument("output", help="output file")
        elif output == "optional":
            sub.add_argument("output", nargs="?", help="output file (default: standard output)")
        sub.set_defaults(handler=handler)
        return sub

    def xml_flags(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--pretty", action="store_true", help="indent the XML")
        sub.add_argument("--no-namespace", action="store_true", help="leave out the namespace")
        sub.add_argument("--no-keyword", action="store_true", help="leave out keyword=")
        sub.add_argument("--xml-space", action="store_true", help='write xml:space="preserve"')

    def json_flags(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--indent", type=int, default=None, help="pretty-print with N spaces")
        sub.add_argument(
            "--number-handling",
            choices=("auto", "number", "string"),
            default="auto",
            help="DS/IS/SV/UV as numbers, strings or auto",
        )
        sub.add_argument(
            "--keywords-as-keys",
            action="store_true",
            help="non-standard: keywords instead of tags as keys",
        )

    def force_flag(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--force", action="store_true", help="read files without the DICOM file meta header"
        )

    sub = command("dcm2xml", cmd_dcm2xml, "DICOM file -> Native DICOM Model XML")
    xml_flags(sub)
    force_flag(sub)
    command("xml2dcm", cmd_xml2dcm, "Native DICOM Model XML -> DICOM file", "required")
    sub = command("dcm2json", cmd_dcm2json, "DICOM file -> DICOM JSON Model")
    json_flags(sub)
    force_flag(sub)
    command("json2dcm", cmd_json2dcm, "DICOM JSON Model -> DICOM file", "required")
    json_flags(command("xml2json", cmd_xml2json, "XML model -> JSON model directly"))
    xml_flags(command("json2xml", cmd_json2xml, "JSON model -> XML model directly"))
    sub = command("validate", cmd_validate, "check an XML or JSON document", "none")
    sub.add_argument("--format", choices=("xml", "json"), help="default: from name or content")
    return parser


def _version() -> str:
    from dicombind import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            args.handler(args)
    except (CommandError, DicombindError) as exc:
        print(f"dicombind {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
