// Một Cửa: a diagram without its drawing (no bpmndi shapes, as some tools and our own liên thông members write
// them) is laid out before it opens, in the studio and on the dossier page alike.
import { layoutProcess } from "bpmn-auto-layout";

export function hasDrawing(xml) {
  return /<([\w-]+:)?BPMNShape\b/.test(xml || "");
}

// bpmn-auto-layout follows a node's <incoming>/<outgoing>, which BPMN lets a tool leave out (a flow's sourceRef
// and targetRef say the same): fill them in from the flows before the layout, so the flows are drawn too
const BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL";
export function withFlowRefs(xml) {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  if (doc.getElementsByTagName("parsererror").length) return xml;
  const byId = new Map([...doc.querySelectorAll("[id]")].map((el) => [el.getAttribute("id"), el]));
  const has = (node, tag, id) => [...node.children].some((c) => c.localName === tag && c.textContent.trim() === id);
  const add = (node, tag, id) => {
    if (!node || has(node, tag, id)) return;
    const ref = doc.createElementNS(BPMN_NS, node.prefix ? node.prefix + ":" + tag : tag);
    ref.textContent = id;
    const after = [...node.children].filter((c) => ["documentation", "extensionElements", "incoming", "outgoing"]
      .includes(c.localName) && (tag === "outgoing" || c.localName !== "outgoing"));
    node.insertBefore(ref, after.length ? after[after.length - 1].nextSibling : node.firstChild);
  };
  for (const flow of doc.getElementsByTagNameNS(BPMN_NS, "sequenceFlow")) {
    const id = flow.getAttribute("id");
    add(byId.get(flow.getAttribute("sourceRef")), "outgoing", id);
    add(byId.get(flow.getAttribute("targetRef")), "incoming", id);
  }
  return new XMLSerializer().serializeToString(doc);
}

// the XML to open, and whether it was laid out here
export async function layOut(xml) {
  if (hasDrawing(xml)) return { xml, laidOut: false };
  return { xml: await layoutProcess(withFlowRefs(xml)), laidOut: true };
}
