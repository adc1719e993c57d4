"""Demo Open311 set-up: service codes for the case categories, one partner system with a
published demo key, and one case it posted. Idempotent like the rest of the demo."""

from governance.models import ApiClient, Case, Category, Channel, hash_api_key
from governance.services.open311 import open311_request_create
from residents.models import Role, Street, User

# A published key, like the demo logins' password: only for a demo database.
DEMO_KEY = "demo-open311-key-2026"
CLIENT_NAME = "12345市民服务热线对接平台"

SERVICE_CODES = {
    "液化气钢瓶": "lpg-cylinders",
    "垃圾混堆点": "mixed-garbage",
    "业委会履职": "owners-committee",
    "违法建筑": "illegal-construction",
    "楼道堆物": "corridor-clutter",
    "停车管理": "parking",
    "应急管理": "emergency",
    "设施维修": "repairs",
}

POSTED = {
    "service_code": "corridor-clutter",
    "address": "乳山五村 7号楼底层过道",
    "description": "7号楼底层过道堆放旧家具和纸箱，影响通行\n热线平台转来的市民反映，请居民区核实处理。",
}


def load(street: Street, stdout_write=lambda message: None) -> str:
    """Returns the demo key, for the loader to print with the demo logins."""
    for name, code in SERVICE_CODES.items():
        Category.objects.filter(name=name, service_code="").update(service_code=code)
    client = ApiClient.objects.filter(street=street, name=CLIENT_NAME).first()
    if client is None:
        account = User.objects.create(
            username="open311-demo", role=Role.STREET_STAFF, street=street, first_name=CLIENT_NAME
        )
        account.set_unusable_password()
        account.save(update_fields=["password"])
        client = ApiClient.objects.create(
            name=CLIENT_NAME,
            street=street,
            account=account,
            key_prefix=DEMO_KEY[:8],
            key_hash=hash_api_key(DEMO_KEY),
        )
    if not Case.objects.filter(
        area__street=street, channel=Channel.PARTNER_SYSTEM, location=POSTED["address"]
    ).exists():
        open311_request_create(
            client=client,
            category=Category.objects.get(service_code=POSTED["service_code"]),
            address=POSTED["address"],
            description=POSTED["description"],
        )
        stdout_write("  one case posted by the 12345 hotline's platform through Open311")
    return DEMO_KEY
