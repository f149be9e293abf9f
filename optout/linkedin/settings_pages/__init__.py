"""A setting's page: opened (or found from the Data privacy index), its switch found,
read settled from the page's own sources, switched off and read back."""
