"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): on every body's sub-domain at
/open311/v2/ (its categories and cases) and on the platform domain (every body: routing by
jurisdiction or location, lists from the reporting facts). No response carries personal data."""
