"""Planners' path to the shapes without writing RDF: the spreadsheet template, its declared mapping
(``mapping.json``), the converter, the planner's report and what-if validation."""
