"""Facts workbooks (``.xlsx``): the template a standard's fact schema gives, the reader that
turns a filled workbook into a facts document with every cell located, and the writer that
fills a workbook from a facts document (``facts convert``).

``layout``  fact schema -> sheets, rows, columns, labels (no Excel library involved)
``cells``   one cell <-> one fact value (exact numbers, dates, lists, enum labels)
``write``   a template or a filled workbook (xlsxwriter)
``read``    a workbook -> (document, :class:`CellPositions`, display name) (python-calamine)
``extra``   the optional ``starrules[xlsx]`` dependencies, imported lazily

xlsxwriter and python-calamine are imported only inside ``write`` and ``read`` functions, so
the core never needs them.
"""
