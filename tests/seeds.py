"""The published result tables from ../shared/seeds, transcribed row by row.

Kept as data so the tests read like the published documents. Numbers are
strings exactly as printed (with the decimal comma turned into a dot).
"""

from pathlib import Path

from criteria.document import load_yaml, parse_document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "criteria"


def shipped_scheme(code):
    return parse_document(load_yaml((FIXTURES / f"{code}.yaml").read_text(encoding="utf-8")))


# Thái Bình, QĐ 06/QĐ-UBND (05/01/2021), seed 001.
# (rank, name, I, II, III, IV, V, VI, total, index, class, has_procedures)
THAIBINH_2020 = [
    (1, "Sở Thông tin và Truyền thông", "50", "99.1", "98", "100", "100", "50", "497.1", "0.998", "Tốt", True),
    (2, "Sở Lao động TBXH", "50", "81.05", "95", "98.9", "100", "50", "474.95", "0.954", "Tốt", True),
    (3, "Sở Tài chính", "50", "89", "92.5", "99.75", "80", "50", "461.25", "0.926", "Tốt", True),
    (4, "Sở Xây dựng", "43", "92", "96.5", "86.9", "100", "40", "458.4", "0.920", "Tốt", True),
    (5, "Sở Tài nguyên và Môi trường", "50", "99.7", "83", "74.2", "100", "50", "456.9", "0.917", "Tốt", True),
    (6, "Văn phòng UBND tỉnh", "50", "85.7", "82", "0", "70", "55", "342.7", "0.861", "Tốt", False),
    (7, "Sở Giao thông Vận tải", "50", "94.2", "71.5", "96.8", "75", "40", "427.5", "0.858", "Tốt", True),
    (8, "Sở Y tế", "48", "74", "91.65", "99.2", "60", "50", "422.85", "0.849", "Khá", True),
    (9, "Sở Nội vụ", "50", "91.3", "70.5", "60.6", "90", "50", "412.4", "0.828", "Khá", True),
    (10, "Sở Công thương", "40", "86.1", "90.5", "81", "55", "50", "402.6", "0.808", "Khá", True),
    (11, "Sở Tư pháp", "48", "75", "77.5", "98.4", "40", "35", "373.9", "0.751", "Khá", True),
    (12, "Sở Kế hoạch và Đầu tư", "50", "82.7", "66", "77.44", "40", "50", "366.14", "0.735", "Khá", True),
    (13, "Sở Giáo dục và Đào tạo", "47", "84.9", "90.7", "66.5", "25", "50", "364.1", "0.731", "Khá", True),
    (14, "Sở Văn hoá, Thể thao và Du lịch", "45", "91.3", "71.9", "95.3", "18", "40", "361.5", "0.726", "Khá", True),
    (15, "Sở Ngoại vụ", "49", "74.5", "84.85", "0", "45", "35", "288.35", "0.724", "Khá", False),
    (16, "Ban Quản lý khu kinh tế và các khu công nghiệp", "38", "74.6", "78.5", "69.76", "20", "45", "325.86", "0.654", "Trung bình", True),
    (17, "Thanh tra tỉnh", "50", "71.1", "83.2", "0", "23", "30", "257.3", "0.646", "Trung bình", False),
    (18, "Sở Nông nghiệp và PTNT", "40", "76.1", "67.5", "92.82", "20", "20", "316.42", "0.635", "Trung bình", True),
    (19, "Sở Khoa học và Công nghệ", "50", "88.8", "68.5", "100", "0", "0", "307.3", "0.617", "Trung bình", True),
]

# Phiếu đánh giá theo chức năng quản lý chuyên ngành 2021, seed 000.
# (no, name, TC1..TC5, total, score, class)
TC5_2021 = [
    (1, "Văn phòng UBND tỉnh", "3", "2.87", "3", "3", "1.5", "13.37", "2.67", "A+"),
    (2, "Ban Dân tộc", "3", "2.95", "3", "3", "1.5", "13.45", "2.69", "A+"),
    (3, "Ban Quản lý các KCN", "3", "3", "3", "3", "3", "15", "3", "A+"),
    (4, "Sở Công Thương", "3", "3", "3", "3", "3", "15", "3", "A+"),
    (5, "Sở Giáo dục và Đào tạo", "3", "2.97", "3", "3", "3", "14.97", "2.99", "A+"),
    (6, "Sở Giao thông - Vận tải", "3", "2.97", "3", "3", "1", "12.97", "2.59", "A+"),
    (7, "Sở Kế hoạch và Đầu tư", "3", "2.93", "3", "3", "3", "14.93", "2.99", "A+"),
    (8, "Sở Khoa học và Công nghệ", "3", "2.90", "3", "3", "3", "14.90", "2.98", "A+"),
    (9, "Sở Lao động Thương binh và Xã hội", "3", "2.90", "3", "3", "3", "14.90", "2.98", "A+"),
    (10, "Sở Ngoại vụ", "3", "2.90", "3", "3", "2.25", "14.15", "2.83", "A+"),
    (11, "Sở Nội vụ", "0", "3", "3", "3", "1.32", "10.32", "2.06", "A"),
    (12, "Sở Nông nghiệp và Phát triển nông thôn", "3", "2.90", "3", "3", "3", "14.90", "2.98", "A+"),
    (13, "Sở Tài chính", "3", "2.89", "3", "3", "3", "14.89", "2.98", "A+"),
    (14, "Sở Tài nguyên và Môi trường", "3", "2.97", "3", "3", "3", "14.97", "2.99", "A+"),
    (15, "Sở Thông tin và Truyền thông", "3", "3", "3", "3", "3", "15", "3", "A+"),
    (16, "Sở Tư pháp", "3", "2.95", "3", "3", "2.26", "14.21", "2.84", "A+"),
    (17, "Sở Văn hóa Thể thao và Du lịch", "3", "2.94", "3", "3", "3", "14.94", "2.99", "A+"),
    (18, "Sở Xây dựng", "3", "2.97", "3", "3", "2.31", "14.28", "2.86", "A+"),
    (19, "Sở Y tế", "3", "2.99", "3", "3", "2.11", "14.10", "2.82", "A+"),
    (20, "Thanh tra tỉnh", "3", "2.86", "3", "3", "1.5", "13.36", "2.67", "A+"),
]

# Đồng Nai, CV 1186/STTT (07/12/2012), seed 002. (no, name, points, published class)
DONGNAI_2012 = [
    (1, "Sở Khoa học và Công nghệ", "217", "A+"),
    (2, "Ban Dân tộc", "205", "A+"),
    (3, "Sở Giao thông - Vận tải", "200", "A+"),
    (4, "Sở Nông nghiệp và Phát triển nông thôn", "194", "A+"),
    (5, "Sở Thông tin và Truyền thông", "190", "A+"),
    (6, "Sở Giáo dục và Đào tạo", "183", "A+"),
    (7, "Văn phòng UBND tỉnh", "180", "A+"),
    (8, "Sở Tài nguyên và Môi trường", "180", "A"),
    (9, "Sở Tài Chính", "175", "A"),
    (10, "Sở Kế hoạch và Đầu tư", "173", "A"),
    (11, "Sở Công thương", "168", "A"),
    (12, "Thanh tra tỉnh", "168", "A"),
    (13, "Sở Ngoại vụ", "165", "A"),
    (14, "Sở Lao động – Thương binh và Xã hội", "134", "C"),
    (15, "Sở Văn hoá - Thể thao và Du lịch", "130", "C"),
    (16, "Đài Phát thanh – Truyền hình Đồng Nai", "120", "C"),
    (17, "Sở Y tế", "119", "C"),
    (18, "Sở Tư pháp", "117", "C"),
    (19, "Sở Xây dựng", "112", "C"),
    (20, "Sở Nội vụ", "110", "C"),
]
