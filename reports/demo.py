"""Demo issuing profile: who issues and signs the annex in the demo province."""

from .models import IssuingProfile


def create_profile():
    profile, _ = IssuingProfile.objects.get_or_create(name="Sở TTTT tỉnh Lào Cai (trình diễn)", defaults={
        "parent_body": "UBND tỉnh Lào Cai", "issuing_body": "Sở Thông tin và Truyền thông",
        "place": "Lào Cai", "authority": IssuingProfile.Authority.KT,
        "authority_of": "Giám đốc", "signer_title": "Phó Giám đốc", "signer_name": "Nguyễn Văn Hùng",
        "recipients": "- UBND tỉnh (b/c);\n- Các sở, ban, ngành;\n- UBND các huyện, thị xã, thành phố;\n- Lưu: VT, CNTT.",
        "is_default": True})
    return profile
