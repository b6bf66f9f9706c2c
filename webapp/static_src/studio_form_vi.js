// Tiếng Việt for the form-js editor. form-js 1.x has no translate service for its editor: the palette's
// entries are named by each field type's config (renamed here, which also names a newly dropped field), and
// the palette's and properties panel's other texts are fixed English strings, replaced where they are shown
// (only inside the palette and the properties panel, never in the form the analyst is drawing).
const FIELD_NAMES = {
  textfield: "Ô nhập chữ", textarea: "Ô nhập nhiều dòng", number: "Ô nhập số", datetime: "Ngày giờ",
  expression: "Biểu thức", filepicker: "Tải tệp lên", checkbox: "Ô đánh dấu", checklist: "Nhóm ô đánh dấu",
  radio: "Nhóm lựa chọn (một)", select: "Danh sách chọn", taglist: "Danh sách thẻ", text: "Đoạn văn bản",
  html: "Nội dung HTML", image: "Hình ảnh", table: "Bảng", iframe: "Khung nhúng (iFrame)",
  documentPreview: "Xem trước tài liệu", spacer: "Khoảng trống", separator: "Đường kẻ ngang", group: "Nhóm",
  dynamiclist: "Danh sách lặp", button: "Nút bấm",
};

export const VI = {
  // palette
  "Components": "Thành phần", "Search components": "Tìm thành phần", "No components found.": "Không tìm thấy thành phần.",
  "Clear content": "Xóa nội dung", "Input": "Nhập liệu", "Selection": "Lựa chọn", "Presentation": "Trình bày",
  "Containers": "Khung chứa", "Action": "Hành động",
  "Build your form": "Dựng biểu mẫu", "Drag and drop components here to start designing.":
    "Kéo thả các thành phần vào đây để bắt đầu.", "Drag and drop components here.": "Kéo thả các thành phần vào đây.",
  // properties panel: groups
  "General": "Chung", "Validation": "Kiểm tra dữ liệu", "Condition": "Điều kiện hiển thị", "Layout": "Bố cục",
  "Appearance": "Hiển thị", "Serialization": "Định dạng lưu", "Constraints": "Giới hạn", "Custom properties": "Thuộc tính riêng",
  "Static options": "Các lựa chọn cố định", "Options source": "Nguồn lựa chọn", "Dynamic options": "Lựa chọn động",
  "Security attributes": "Thuộc tính an toàn", "Form": "Biểu mẫu", "Select a form field to edit its properties.":
    "Chọn một trường để sửa thuộc tính.",
  // properties panel: entries
  "Field label": "Nhãn trường", "Field description": "Mô tả trường", "Group label": "Nhãn nhóm", "Key": "Khóa (tên biến)",
  "ID": "Mã", "Label": "Nhãn", "Value": "Giá trị", "Default value": "Giá trị mặc định", "Required": "Bắt buộc",
  "Disabled": "Không cho sửa", "Read only": "Chỉ đọc", "Hide if": "Ẩn khi", "Minimum length": "Độ dài tối thiểu",
  "Maximum length": "Độ dài tối đa", "Minimum": "Nhỏ nhất", "Maximum": "Lớn nhất", "Validation pattern": "Mẫu kiểm tra",
  "Custom regular expression": "Biểu thức chính quy riêng", "Custom error message": "Thông báo lỗi riêng",
  "Email": "Thư điện tử", "Phone": "Số điện thoại", "Custom": "Tùy chọn", "Text": "Văn bản", "Type": "Loại",
  "Subtype": "Kiểu con", "Columns": "Số cột", "Column": "Cột", "Auto": "Tự động", "Prefix": "Tiền tố", "Suffix": "Hậu tố",
  "Decimal digits": "Số chữ số thập phân", "Increment": "Bước tăng", "Searchable": "Cho tìm kiếm",
  "Date label": "Nhãn ngày", "Time label": "Nhãn giờ", "Use 24h": "Dùng giờ 24", "Time format": "Định dạng giờ",
  "Time interval": "Khoảng giờ", "Disallow past dates": "Không cho chọn ngày đã qua", "Checked": "Đã đánh dấu",
  "Not checked": "Chưa đánh dấu", "Content": "Nội dung", "Height": "Chiều cao", "Alternative text": "Chữ thay ảnh",
  "Image source": "Nguồn ảnh", "Path": "Đường dẫn", "Version tag": "Nhãn phiên bản", "Expression": "Biểu thức",
  "Compute on": "Tính khi", "Value changes": "Giá trị đổi", "Form submission": "Gửi biểu mẫu",
  "Output as string": "Lưu dạng chuỗi", "Show outline": "Hiện viền", "Vertical alignment": "Căn dọc",
  "Top": "Trên", "Center": "Giữa", "Bottom": "Dưới", "Submit": "Gửi", "Reset": "Đặt lại",
  "Supported file formats": "Định dạng tệp được nhận", "Upload multiple files": "Cho tải nhiều tệp",
  "Toggle section": "Mở/đóng mục", "Section contains an error": "Mục có lỗi", "Section contains edits": "Mục đã sửa",
  "Toggle list item": "Mở/đóng mục", "Delete item": "Xóa mục", "Create": "Thêm", "<empty>": "<trống>",
  "Open documentation": "Mở tài liệu", "Remove": "Bỏ",
  // properties panel: the entries' descriptions
  "Binds to a form variable": "Gắn với một biến của biểu mẫu (tên dữ liệu lưu trong hồ sơ)",
  "Allows arbitrary precision values": "Cho phép số với độ chính xác tùy ý",
  "Define an expression to calculate the value of this field": "Biểu thức tính giá trị của trường này",
  "Define an expression to populate the options from.": "Biểu thức tạo danh sách lựa chọn.",
  "Define which input property to populate the values from": "Dữ liệu đầu vào dùng để tạo các giá trị",
  "Expression or static value (link/data URI)": "Biểu thức hoặc giá trị cố định (đường dẫn, data URI)",
  "Height of the container in pixels.": "Chiều cao của khung, tính bằng điểm ảnh.",
  "Where the child variables of this component are pathed to.": "Nơi lưu các biến con của thành phần này.",
};

// the palette's entries (and the default label of a field dropped from it), by field type
class FormFieldNames {
  constructor(formFields) {
    for (const [type, field] of Object.entries(formFields._formFields || {})) {
      const name = FIELD_NAMES[type];
      if (name && field && field.config) field.config = { ...field.config, name, label: name };
    }
  }
}
FormFieldNames.$inject = ["formFields"];

export const FormVietnameseModule = { __init__: ["motcuaFormFieldNames"], motcuaFormFieldNames: ["type", FormFieldNames] };

const SCOPES = ".fjs-palette-container, .fjs-properties-container, .fjs-empty-editor";

function translateNode(node) {
  if (node.nodeType === Node.TEXT_NODE) {
    const text = node.data.trim();
    if (VI[text] && node.parentElement && node.parentElement.closest(SCOPES)) node.data = node.data.replace(text, VI[text]);
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const inScope = node.closest(SCOPES) || node.querySelector(SCOPES);
  if (!inScope) return;
  for (const el of [node, ...node.querySelectorAll("[title], [placeholder]")]) {
    for (const attr of ["title", "placeholder"]) {
      const value = el.getAttribute && el.getAttribute(attr);
      if (value && VI[value] && el.closest(SCOPES)) el.setAttribute(attr, VI[value]);
    }
  }
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) translateNode(t);
}

// keeps the editor's fixed texts in Vietnamese as it renders them
export function translateFormEditor(container) {
  translateNode(container);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "characterData") translateNode(r.target);
      else if (r.type === "attributes") translateNode(r.target);
      else for (const n of r.addedNodes) translateNode(n);
    }
  }).observe(container, { childList: true, subtree: true, characterData: true, attributes: true,
    attributeFilter: ["title", "placeholder"] });
}
