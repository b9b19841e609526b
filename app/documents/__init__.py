"""Documents, their files, registers (sổ văn bản) and numbering, intake and drafting."""
