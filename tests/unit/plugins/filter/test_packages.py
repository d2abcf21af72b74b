"""missing_packages: which Debian packages a role still has to install."""

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.djangostack.deploy.plugins.filter.packages import missing_packages

INSTALLED = {"nginx": [{"version": "1.22.1-9", "arch": "amd64"}], "logrotate": [{"version": "3.21.0-1"}],
             "acl": []}


@pytest.mark.parametrize("names, installed, missing", [
    (["nginx", "logrotate"], INSTALLED, []),
    (["nginx", "certbot", "logrotate", "certbot"], INSTALLED, ["certbot"]),
    ("nginx", INSTALLED, []),
    ("memcached", INSTALLED, ["memcached"]),
    (["nginx", "logrotate"], None, ["nginx", "logrotate"]),
    ([], INSTALLED, []),
    # an entry without versions is not an installed package
    (["acl"], INSTALLED, ["acl"]),
    # apt decides what a version, a release, an architecture or a file means
    (["nginx=1.22.1-9", "nginx>=1.22", "nginx/bookworm-backports", "nginx:amd64", "/tmp/nginx.deb"], INSTALLED,
     ["nginx=1.22.1-9", "nginx>=1.22", "nginx/bookworm-backports", "nginx:amd64", "/tmp/nginx.deb"]),
])
def test_missing_packages(names, installed, missing):
    assert missing_packages(names, installed) == missing


@pytest.mark.parametrize("names, installed", [({"nginx": 1}, None), ([1], None), (["nginx"], ["nginx"])])
def test_missing_packages_refuses_what_is_not_a_list_of_names_and_the_facts(names, installed):
    with pytest.raises(AnsibleFilterError, match="missing_packages takes"):
        missing_packages(names, installed)
