"""Form 1-M workbooks «О зарегистрированных уголовных правонарушениях» (official source).

``read_form1m(path, region=None, period=None)`` reads one workbook, ``read_many`` several;
``is_form1m(path)`` recognises one. Modules: ``recognise`` (sheets and titles), ``locate``
(rows by label, columns by graph number), ``identify`` (region and period), ``read``,
``crosscheck``.
"""

from juvmap.io.form1m.crosscheck import CHECKS, CrossCheckIssue
from juvmap.io.form1m.read import (ARTICLE_COLUMNS, INDICATORS, TABLE_COLUMNS, Form1MWorkbook,
                                   read_form1m, read_many)
from juvmap.io.form1m.recognise import Form1MError, is_form1m

__all__ = ["ARTICLE_COLUMNS", "CHECKS", "INDICATORS", "TABLE_COLUMNS", "CrossCheckIssue",
           "Form1MError", "Form1MWorkbook", "is_form1m", "read_form1m", "read_many"]
