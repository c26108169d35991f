"""The public API of both models: strings, streams, async, options, typed models."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from dataset_compare import element_differences
from handmade import all_vrs, file_dataset, private_elements
from pydicom.dataset import Dataset, FileDataset

from dicombind import json as dicom_json
from dicombind import xml as dicom_xml
from dicombind.generated.json_model import dataset_adapter
from dicombind.generated.native_xml import NativeDicomModel

NAMESPACE = 'xmlns="http://dicom.nema.org/PS3.19/models/NativeDICOM"'


@pytest.mark.parametrize("api", [dicom_xml, dicom_json], ids=["xml", "json"])
def test_dump_and_load_binary_and_text_streams(api: object) -> None:
    ds = all_vrs()
    binary = io.BytesIO()
    api.dump(ds, binary)  # type: ignore[attr-defined]
    assert binary.getvalue().decode("utf-8") == api.dumps(ds)  # type: ignore[attr-defined]
    binary.seek(0)
    assert element_differences(ds, api.load(binary)) == []  # type: ignore[attr-defined]
    text = io.StringIO()
    api.dump(ds, text)  # type: ignore[attr-defined]
    text.seek(0)
    assert element_differences(ds, api.load(text)) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("api", [dicom_xml, dicom_json], ids=["xml", "json"])
def test_async_functions_with_sync_and_asyncio_streams(api: object, tmp_path: Path) -> None:
    ds = private_elements()

    async def scenario() -> tuple[Dataset, Dataset, str]:
        text = await api.dumps_async(ds)  # type: ignore[attr-defined]
        from_text = await api.loads_async(text)  # type: ignore[attr-defined]
        # a real asyncio stream pair over a socket pair
        received: list[bytes] = []

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            received.append(await reader.read())
            writer.close()

        path = str(tmp_path / "s.sock")
        server = await asyncio.start_unix_server(serve, path=path)
        _, writer = await asyncio.open_unix_connection(path)
        await api.dump_async(ds, writer)  # type: ignore[attr-defined]
        writer.write_eof()
        await writer.drain()
        writer.close()
        await writer.wait_closed()
        for _ in range(100):
            if received:
                break
            await asyncio.sleep(0.01)
        server.close()
        reader = asyncio.StreamReader()
        reader.feed_data(received[0])
        reader.feed_eof()
        from_stream = await api.load_async(reader)  # type: ignore[attr-defined]
        return from_text, from_stream, received[0].decode()

    from_text, from_stream, sent = asyncio.run(scenario())
    assert sent == api.dumps(ds)  # type: ignore[attr-defined]
    assert element_differences(ds, from_text) == []
    assert element_differences(ds, from_stream) == []


def test_xml_options() -> None:
    ds = private_elements()
    default = dicom_xml.dumps(ds)
    assert NAMESPACE in default and 'keyword="PatientID"' in default
    assert "xml:space" not in default and "\n  <" not in default
    assert NAMESPACE not in dicom_xml.dumps(ds, namespace=False)
    assert "keyword=" not in dicom_xml.dumps(ds, keyword=False)
    spaced = dicom_xml.dumps(ds, xml_space=True)
    assert 'xml:space="preserve"' in spaced
    assert dicom_xml.validate(default) == []
    assert dicom_xml.validate(spaced) != []  # the normative schema rejects xml:space
    pretty = dicom_xml.dumps(ds, pretty=True)
    assert "\n  <DicomAttribute" in pretty and ">P1</Value>" in pretty
    for variant in (pretty, spaced, dicom_xml.dumps(ds, namespace=False, keyword=False)):
        assert element_differences(ds, dicom_xml.loads(variant)) == []


def test_json_options_reach_the_writer() -> None:
    ds = Dataset()
    ds.PatientName = "Doe^John"
    ds.PixelSpacing = ["0.5", "0.25"]
    assert json.loads(dicom_json.dumps(ds))["00280030"]["Value"] == [0.5, 0.25]
    as_strings = json.loads(dicom_json.dumps(ds, number_handling="string"))
    assert as_strings["00280030"]["Value"] == ["0.5", "0.25"]
    keyed = json.loads(dicom_json.dumps(ds, use_keywords_as_keys=True))
    assert list(keyed) == ["PatientName", "PixelSpacing"]
    annotated = json.loads(dicom_json.dumps(ds, write_keyword=True, write_name=True))
    assert annotated["00100010"]["keyword"] == "PatientName"
    assert annotated["00100010"]["name"] == "Patient's Name"
    assert "\n  " in dicom_json.dumps(ds, indent=2)
    with pytest.raises(ValueError, match="number_handling"):
        dicom_json.dumps(ds, number_handling="decimal")  # type: ignore[arg-type]


def test_json_lists_and_files() -> None:
    a, b = all_vrs(), private_elements()
    text = dicom_json.dumps([a, b])
    assert text.startswith("[")
    both = dicom_json.loads_list(text)
    assert [element_differences(x, y) for x, y in zip([a, b], both, strict=True)] == [[], []]
    assert len(dicom_json.loads_list(dicom_json.dumps(a))) == 1  # a bare object is one
    single = dicom_json.loads("[" + dicom_json.dumps(b) + "]")  # an array of exactly one
    assert element_differences(b, single) == []

    fds = file_dataset()
    file_text = dicom_json.dumps(fds)
    assert '"00020010"' in file_text  # file meta written, first as keys sort
    loaded = dicom_json.loads_file(file_text)
    assert isinstance(loaded, FileDataset) and loaded.file_meta.TransferSyntaxUID
    plain = dicom_json.loads_file(dicom_json.dumps(b))
    assert isinstance(plain, FileDataset) and len(plain.file_meta) == 0


def test_typed_models() -> None:
    ds = all_vrs()
    xml_model = dicom_xml.to_model(ds)
    assert isinstance(xml_model, NativeDicomModel)
    assert element_differences(ds, dicom_xml.from_model(xml_model)) == []
    json_model = dicom_json.to_model(ds)
    assert json_model["00100010"].vr == "PN"
    # the model is the generated pydantic type: it validates and serializes as the schema says
    dumped = dataset_adapter.dump_python(json_model, mode="json", by_alias=True, exclude_none=True)
    assert dataset_adapter.validate_python(dumped) == json_model
    assert element_differences(ds, dicom_json.from_model(json_model)) == []
