"""Credentials (built-in CA, PKCS#12, PKCS#11), PAdES signing with pyHanko, and validation reports."""

from . import pdfread

pdfread.install()
