"""A real OpenLDAP server (slapd) for the directory sync tests, one per test process.

python-ldap's ``slapdtest.SlapdObject`` builds a throw-away ``slapd.d`` configuration and data
directory and runs slapd in the foreground. Its own port choice comes from the kernel's
ephemeral range, where a client socket of another test may grab the port between the choice and
slapd's bind; we pick from a range below it instead and retry on a clash. Each pytest-xdist
worker imports this module on its own, so each gets its own slapd.
"""

from __future__ import annotations

import contextlib
import io
import secrets
import socket
import tempfile

import ldap
import ldap.modlist
import ldif
from slapdtest import SlapdObject

SUFFIX = "dc=example,dc=edu"
PEOPLE_BASE = f"ou=people,{SUFFIX}"
UNITS_BASE = f"ou=units,{SUFFIX}"

# Below the ephemeral range (32768–60999) so no outgoing connection can take the port.
PORT_RANGE = (20000, 32000)

DIRECTORY_LDIF = f"""\
dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
dc: example
o: Example University

dn: {PEOPLE_BASE}
objectClass: organizationalUnit
ou: people

dn: {UNITS_BASE}
objectClass: organizationalUnit
ou: units

dn: ou=CS,{UNITS_BASE}
objectClass: organizationalUnit
ou: CS
description: 计算机学院
businessCategory: school

dn: ou=SE,ou=CS,{UNITS_BASE}
objectClass: organizationalUnit
ou: SE
description: 软件工程系

dn: ou=SE2301,ou=SE,ou=CS,{UNITS_BASE}
objectClass: organizationalUnit
ou: SE2301
description: 软件2301班
businessCategory: class

dn: ou=JWC,{UNITS_BASE}
objectClass: organizationalUnit
ou: JWC
description: 教务处
businessCategory: office

dn: uid=2023010101,{PEOPLE_BASE}
objectClass: inetOrgPerson
uid: 2023010101
cn: 张晓明
sn: 张
mail: zhangxm@example.edu
employeeType: 男
employeeNumber: 330106200501011234

dn: uid=2023010102,{PEOPLE_BASE}
objectClass: inetOrgPerson
uid: 2023010102
cn: Wang Fang
displayName: 王芳
sn: 王
mail: wangf@example.edu
employeeType: female

dn: uid=T1001,{PEOPLE_BASE}
objectClass: inetOrgPerson
uid: T1001
cn: 李老师
sn: 李

dn: uid=T1002,{PEOPLE_BASE}
objectClass: inetOrgPerson
uid: T1002
cn: 欧阳明月
sn: 欧阳
mail: ouyang@example.edu

dn: cn=陈无号,{PEOPLE_BASE}
objectClass: inetOrgPerson
cn: 陈无号
sn: 陈
mail: chen@example.edu

dn: cn=helpdesk,{PEOPLE_BASE}
objectClass: organizationalRole
cn: helpdesk
description: 信息中心服务台

dn: cn=printer-1,{PEOPLE_BASE}
objectClass: device
cn: printer-1
description: 打印机
"""

# Uids in the LDIF that the sync must turn into persons (the uid-less entry is skipped).
EXPECTED_UIDS = {"2023010101", "2023010102", "T1001", "T1002"}
EXPECTED_UNIT_CODES = {"CS", "SE", "SE2301", "JWC"}


def free_port() -> int:
    """A port in PORT_RANGE nobody listens on right now (there is a window; callers retry)."""
    low, high = PORT_RANGE
    while True:
        port = low + secrets.randbelow(high - low)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


class CampusSlapd(SlapdObject):
    """slapd with the schemas an inetOrgPerson directory needs, on a port below 32768."""

    openldap_schema_files = ("core.ldif", "cosine.ldif", "inetorgperson.ldif")
    suffix = SUFFIX
    root_pw = "test-secret"
    slapd_loglevel = "0"
    TMPDIR = tempfile.gettempdir()

    def _avail_tcp_port(self) -> int:
        return free_port()


def start_slapd(attempts: int = 5) -> CampusSlapd:
    """Start a server, choosing another port when another process took ours meanwhile."""
    for attempt in range(attempts):
        server = CampusSlapd()
        try:
            server.start()
        except RuntimeError:
            server.stop()
            if attempt == attempts - 1:
                raise
        else:
            return server
    raise AssertionError("unreachable")


def admin_connection(server: CampusSlapd) -> ldap.ldapobject.LDAPObject:
    conn = ldap.initialize(server.ldap_uri)
    conn.simple_bind_s(server.root_dn, server.root_pw)
    return conn


def _records() -> list[tuple[str, dict[str, list[bytes]]]]:
    parser = ldif.LDIFRecordList(io.StringIO(DIRECTORY_LDIF))
    parser.parse()
    return parser.all_records


def reset_directory(server: CampusSlapd) -> None:
    """Put the directory back to DIRECTORY_LDIF (tests modify and delete entries)."""
    conn = admin_connection(server)
    try:
        with contextlib.suppress(ldap.NO_SUCH_OBJECT):
            dns = [dn for dn, _ in conn.search_s(SUFFIX, ldap.SCOPE_SUBTREE, attrlist=["1.1"])]
            # Children before parents: a DN with more RDNs is deeper.
            for dn in sorted(dns, key=lambda d: len(ldap.dn.str2dn(d)), reverse=True):
                conn.delete_s(dn)
        for dn, entry in _records():
            conn.add_s(dn, ldap.modlist.addModlist(entry))
    finally:
        conn.unbind_s()


# --- Sign-in (tests/accounts): passwords and groups on top of DIRECTORY_LDIF -----------------
GROUPS_BASE = f"ou=groups,{SUFFIX}"


def entry_add(server: CampusSlapd, dn: str, attributes: dict[str, list[str]]) -> None:
    """Add one entry (attribute values as text)."""
    conn = admin_connection(server)
    try:
        entry = {name: [value.encode() for value in values] for name, values in attributes.items()}
        conn.add_s(dn, ldap.modlist.addModlist(entry))
    finally:
        conn.unbind_s()


def password_set(server: CampusSlapd, dn: str, password: str) -> None:
    """Give an entry a (cleartext, test-only) userPassword so it can bind."""
    conn = admin_connection(server)
    try:
        conn.modify_s(dn, [(ldap.MOD_REPLACE, "userPassword", [password.encode()])])
    finally:
        conn.unbind_s()


def group_add(server: CampusSlapd, cn: str, member_dns: list[str]) -> str:
    """A groupOfNames under GROUPS_BASE (created on first use); returns the group's DN."""
    conn = admin_connection(server)
    try:
        with contextlib.suppress(ldap.ALREADY_EXISTS):
            conn.add_s(
                GROUPS_BASE,
                ldap.modlist.addModlist(
                    {"objectClass": [b"organizationalUnit"], "ou": [b"groups"]}
                ),
            )
    finally:
        conn.unbind_s()
    dn = f"cn={cn},{GROUPS_BASE}"
    entry_add(server, dn, {"objectClass": ["groupOfNames"], "cn": [cn], "member": member_dns})
    return dn
