"""The landlord's stock (issue 26, item 2): areas, estates, blocks and properties from the
housing system's export, all or nothing, again changing nothing; then customers can be
imported into them."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from equal_outcomes.customers.models import Area, Block, Customer, Estate, Property

pytestmark = pytest.mark.django_db

CANONICAL = (
    "area,area_name,estate,estate_name,block,property_ref,uprn,address_line_1,address_line_2,"
    "town,postcode,lsoa,local_authority\n"
    "NTH,North Valleys,,,,,,,,,,,\n"
    "NTH,,GLN,Glan yr Afon,,P0001,100100000001,1 Heol y Bont,,Merthyr Tudful,cf47 8aa,,Merthyr Tydfil\n"
    "NTH,,GLN,,BLK1,P0002,,Flat 2,Tŷ Gwyn,Merthyr Tudful,CF478AB,W01001234,Merthyr Tydfil\n"
    "STH,South,,,,P0003,,9 Station Road,,Barry,CF62 7AA,,Vale of Glamorgan\n"
)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_canonical_columns_make_the_places_and_the_same_file_again_changes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "stock.csv"
    path.write_text(CANONICAL, encoding="utf-8")
    assert "created 2 areas, 2 estates, 1 blocks, 3 properties" in run("places", str(path))
    north = Area.objects.get(code="NTH")
    assert north.name == "North Valleys"
    home = Property.objects.get(property_ref="P0002")
    assert (home.estate.code, home.block.code, home.postcode) == ("GLN", "BLK1", "CF47 8AB")
    assert home.address == "Flat 2, Tŷ Gwyn, Merthyr Tudful"
    assert Property.objects.get(property_ref="P0003").estate.code == "STH-GENERAL"
    assert Property.objects.get(property_ref="P0001").uprn == "100100000001"
    again = run("places", str(path))
    assert "created nothing new; updated none" in again
    renamed = tmp_path / "rename.csv"
    renamed.write_text("area,area_name\nNTH,Gogledd y Cymoedd\n")
    run("places", str(renamed))
    assert Area.objects.get(code="NTH").name == "Gogledd y Cymoedd"


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "area,estate,block,property_ref,address_line_1,postcode\n"
        "NTH,GLN,,P1,1 High St,NOT A CODE\n"
        ",GLN,,P2,2 High St,CF47 8AA\n"
        "NTH,GLN,BLK,,,\n"
        "NTH,GLN,,P1,3 High St,CF47 8AA\n"
        "STH,GLN,,P4,4 High St,CF47 8AA\n"
    )
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "places", str(path), stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert "row 2, postcode: not a UK postcode" in text
    assert "row 3, area: every row needs the area" in text
    assert "row 4, property_ref: a block is given with a property" in text
    assert "row 5, property_ref: this property is already on row 2" in text
    assert "row 6, estate: this estate is in another area on row 2" in text
    assert not Area.objects.exists()
    assert not Property.objects.exists()


def test_another_systems_headings_by_mapping_in_windows_1252_and_xlsx(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns:\n  Patch Code: area\n  Scheme: estate\n  Prop Ref: property_ref\n"
        "  Address 1: address_line_1\n  Post Code: postcode\n  Void Status: ignore\n"
    )
    path = tmp_path / "export.csv"
    path.write_bytes(
        "Patch Code;Scheme;Prop Ref;Address 1;Post Code;Void Status\r\n"
        "NTH;GLN;000123;1 Heol Caerffili, Café Row;CF47 8AA;No\r\n".encode("cp1252")
    )
    assert "windows-1252" in run("places", str(path), "--mapping", str(mapping))
    assert Property.objects.get().property_ref == "000123", "leading zeros kept"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["area", "estate", "property_ref", "address_line_1", "postcode"])
    sheet.append(["NTH", "GLN", 124, "2 Heol Caerffili", "CF47 8AB"])
    book.save(tmp_path / "stock.xlsx")
    run("places", str(tmp_path / "stock.xlsx"))
    assert Property.objects.filter(property_ref="124").exists()


def test_the_postcode_lookup_fills_each_propertys_small_area(tmp_path: Path) -> None:
    lookup = tmp_path / "NSPL21_NOV_2026_UK.csv"
    lookup.write_text(
        "pcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,osgrdind,oa21cd,cty,ced,"
        "laua,ward,nhser,ctry,rgn,pcon,ttwa,itl,npark,lsoa21cd,msoa21cd,wz11,sicbl,bua24,"
        "ru11ind,oac11,lat,long,lep1,lep2,pfa,imd,icb\n"
        "CF478AA ,CF47  8AA,CF47 8AA,199001,,0,305000,206000,1,W00001,W99999999,,W06000024,"
        "W05000001,W99999999,W92000004,W99999999,W07000001,W22000001,TLL,W31000001,W01001234,"
        "W02000123,W35000001,W11000001,W45000001,C1,1A1,51.7,-3.4,,,W15000001,123,W11000001\n"
        "SW1A1AA ,SW1A 1AA,SW1A 1AA,199001,,0,529090,179645,1,E00023938,E99999999,,E09000033,"
        "E05000644,E40000003,E92000001,E12000007,E14000639,E30000234,TLI,E65000001,E01004736,"
        "E02000977,E33000251,E38000031,E63000001,A1,7B3,51.5,-0.14,,,E23000001,17715,E54000027\n"
    )
    assert "Loaded 2 postcodes" in run("postcode-lookup", str(lookup))
    path = tmp_path / "stock.csv"
    path.write_text("area,property_ref,address_line_1,postcode\nNTH,P1,1 Heol y Bont,cf47 8aa\n")
    run("places", str(path))
    home = Property.objects.get()
    assert (home.lsoa_code, home.rural_urban) == ("W01001234", "C1")


def test_customers_go_into_the_imported_stock_and_are_told_to_import_it_first(
    tmp_path: Path,
) -> None:
    people = tmp_path / "customers.csv"
    people.write_text(
        "customer_ref,customer_type,household_ref,property_ref,first_name,last_name\n"
        "C1,tenant,H1,P0001,Ceri,Morgan\n"
    )
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "customers", str(people), stdout=io.StringIO(), stderr=err)
    assert "import the stock first (import places)" in err.getvalue()
    stock = tmp_path / "stock.csv"
    stock.write_text(CANONICAL)
    run("places", str(stock))
    run("customers", str(people))
    assert Customer.objects.get().household.property.property_ref == "P0001"
    assert Estate.objects.count() == 2
    assert Block.objects.count() == 1


def test_a_file_without_an_area_column_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("property_ref\nP1\n")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "places", str(path), stdout=io.StringIO(), stderr=err)
    assert "the file has no area column" in err.getvalue()
    with pytest.raises(CommandError, match="no such"):
        call_command("import", "places", str(tmp_path / "missing.csv"))


def test_the_lead_uploads_the_stock_and_sees_problems_by_row(lead: object) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.auth import signed_in

    client = signed_in(lead)
    bad = SimpleUploadedFile(
        "stock.csv", b"area,property_ref,address_line_1,postcode\nNTH,P1,1 High St,nope\n"
    )
    page = client.post(reverse("imports:places"), {"file": bad})
    assert page.status_code == 400
    assert "not a UK postcode" in page.content.decode()
    assert not Area.objects.exists()
    good = SimpleUploadedFile("stock.csv", CANONICAL.encode())
    page = client.post(reverse("imports:places"), {"file": good})
    assert page.status_code == 200
    assert "Areas and properties imported" in page.content.decode()
    assert "3 new, 0 changed" in page.content.decode()
    assert Property.objects.count() == 3
