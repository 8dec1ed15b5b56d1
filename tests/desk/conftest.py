# The people of the editorial tests (an Editor and an Administrator of the default organisation).
from tests.editorial.conftest import administrator, administrator_client, editor, editor_client, roles  # noqa: F401
