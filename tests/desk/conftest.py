# The people of the editorial tests (an Editor and an Administrator of the default organisation).
from tests.editorial.conftest import administrator, administrator_client, editor, editor_client, roles  # noqa: F401

# The local feed server of the newsletter tests (news, images and feeds pages).
from tests.newsletter.conftest import feed_server  # noqa: E402, F401
