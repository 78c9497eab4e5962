"""Names vulture (the dead-code check in .ci/run) cannot see used: attributes set for libraries
(openpyxl cells, protobuf messages) and pydantic fields read by the model, not by name."""

_.query_string  # unused attribute (bench/load.py:43)
_.page_name  # unused attribute (bench/load.py:44)
_.font  # unused attribute (components/dashboard/brief.py:57)
_.font  # unused attribute (components/dashboard/brief.py:64)
_.data_type  # unused attribute (components/dashboard/brief.py:82)
_.freeze_panes  # unused attribute (components/spreadsheet.py:145)
requester_name  # unused variable (db/models.py:352)
est_minutes  # unused variable (db/models.py:358)
emergency_contact  # unused variable (db/models.py:417)
emergency_phone  # unused variable (db/models.py): a pydantic field, read by model_dump
