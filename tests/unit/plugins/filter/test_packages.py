"""missing_packages: which Debian packages a role still has to install."""

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.djangostack.deploy.plugins.filter.packages import missing_packages

# What `dpkg-query --show --showformat='${db:Status-Abbrev}${Package},' NAMES` prints (it
# says nothing of a name dpkg has never heard of).
STATUS = "ii nginx,ii logrotate,rc certbot,un memcached,"


@pytest.mark.parametrize("names, status, missing", [
    (["nginx", "logrotate"], STATUS, []),
    (["nginx", "certbot", "logrotate", "certbot"], STATUS, ["certbot"]),
    ("nginx", STATUS, []),
    (["memcached", "supervisor"], STATUS, ["memcached", "supervisor"]),
    (["nginx", "logrotate"], None, ["nginx", "logrotate"]),
    (["nginx"], "", ["nginx"]),
    ([], STATUS, []),
    # the entries may be lines as well
    (["nginx", "logrotate", "acl"], "ii  nginx\nii  logrotate\n", ["acl"]),
    # apt decides what a version, a release, an architecture or a file means
    (["nginx=1.22.1-9", "nginx>=1.22", "nginx/bookworm-backports", "nginx:amd64", "/tmp/nginx.deb"], STATUS,
     ["nginx=1.22.1-9", "nginx>=1.22", "nginx/bookworm-backports", "nginx:amd64", "/tmp/nginx.deb"]),
])
def test_missing_packages(names, status, missing):
    assert missing_packages(names, status) == missing


@pytest.mark.parametrize("names, status", [({"nginx": 1}, None), ([1], None), (["nginx"], ["ii nginx"])])
def test_missing_packages_refuses_what_is_not_a_list_of_names_and_dpkgs_output(names, status):
    with pytest.raises(AnsibleFilterError, match="missing_packages takes"):
        missing_packages(names, status)
