// The gateway's /docs page: fetches /openapi.json (Swagger 2.0, generated from the
// protos at build time) and renders services -> operations with parameters, request and
// response schemas ($refs resolved, expandable), who may call, the error body and a
// curl example. No third-party code; everything is built with DOM calls (no innerHTML
// of document text), so the page works offline and under a strict CSP.
"use strict";

(function () {
  const VERBS = ["get", "post", "put", "patch", "delete"];
  let spec = null;

  // ---- Small DOM helpers ---------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  // Proto comments use `code` and **bold**; render just those, as text nodes.
  function richText(text) {
    const out = [];
    const pattern = /`([^`]+)`|\*\*([^*]+)\*\*/g;
    let last = 0;
    let match;
    while ((match = pattern.exec(text)) !== null) {
      if (match.index > last) out.push(text.slice(last, match.index));
      out.push(match[1] !== undefined ? el("code", {}, match[1]) : el("strong", {}, match[2]));
      last = pattern.lastIndex;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  // Comments are hard-wrapped: a single line break is a space (none between two CJK
  // characters), except before a list item; a blank line starts a new paragraph.
  const CJK = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;
  function unwrap(paragraph) {
    return paragraph.replace(/\s*\n\s*(?![-*•]\s|\d+[.)]\s)/g, (match, offset, whole) => {
      const before = whole[offset - 1] || "";
      const after = whole[offset + match.length] || "";
      return CJK.test(before) && CJK.test(after) ? "" : " ";
    });
  }

  function paragraphs(text, className) {
    if (!text) return null;
    return el("div", { class: className || "desc" },
      text.split(/\n\s*\n/).map((p) => el("p", {}, richText(unwrap(p.trim())))));
  }

  function refName(ref) {
    return ref.replace(/^#\/definitions\//, "");
  }

  function resolve(schema) {
    return schema && schema.$ref ? spec.definitions[refName(schema.$ref)] || {} : schema || {};
  }

  // ---- Schemas ---------------------------------------------------------------------
  function typeLabel(schema) {
    if (!schema) return "any";
    if (schema.$ref) return refName(schema.$ref);
    if (schema.type === "array") return typeLabel(schema.items) + "[]";
    if (schema.type === "object" && schema.additionalProperties && !schema.properties) {
      return "map<string, " + typeLabel(schema.additionalProperties) + ">";
    }
    let label = schema.type || "object";
    if (schema.format && schema.format !== schema.type) label += " (" + schema.format + ")";
    return label;
  }

  function enumOf(schema) {
    const target = schema && schema.type === "array" ? resolve(schema.items) : resolve(schema);
    return target && target.enum ? target.enum : null;
  }

  // The message a field leads to, if any (for expanding nested messages).
  function nestedRef(schema) {
    if (!schema) return null;
    if (schema.$ref) return schema.$ref;
    if (schema.type === "array" && schema.items && schema.items.$ref) return schema.items.$ref;
    return null;
  }

  // A message as a property table; nested messages expand on demand (cycle-safe: a
  // message already open on the path is only named).
  function schemaView(schema, openPath) {
    const target = resolve(schema);
    const name = schema && schema.$ref ? refName(schema.$ref) : null;
    if (target.enum) {
      return el("div", { class: "enum" }, "enum: ", target.enum.join(" | "));
    }
    if (!target.properties) {
      return el("div", {}, el("span", { class: "type" }, typeLabel(schema)),
        target.description ? " — " + target.description : "");
    }
    const rows = Object.entries(target.properties).map(([field, fieldSchema]) => {
      const ref = nestedRef(fieldSchema);
      const values = enumOf(fieldSchema);
      const description = fieldSchema.description || fieldSchema.title ||
        (ref ? resolve({ $ref: ref }).description || resolve({ $ref: ref }).title : "") || "";
      let nested = null;
      if (ref && !values) {
        if (openPath.includes(ref)) {
          nested = el("div", { class: "enum" }, "(recursive: " + refName(ref) + ")");
        } else {
          const details = el("details", { class: "schema" }, el("summary", {}, refName(ref)));
          details.addEventListener("toggle", () => {
            if (details.open && details.childElementCount === 1) {
              details.append(el("div", { class: "schema-body" },
                schemaView({ $ref: ref }, openPath.concat([ref]))));
            }
          }, { once: false });
          nested = details;
        }
      }
      return el("tr", {},
        el("td", { class: "name mono" }, field),
        el("td", {}, el("span", { class: "type mono" }, typeLabel(fieldSchema)),
          fieldSchema.readOnly ? el("span", { class: "enum" }, " read-only") : null),
        el("td", {}, description ? paragraphs(description) : null,
          values ? el("div", { class: "enum" }, "enum: ", values.join(" | ")) : null, nested));
    });
    return el("div", {},
      name && target.description ? paragraphs(target.description) : null,
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "字段 Field"),
        el("th", {}, "类型 Type"), el("th", {}, "说明 Description"))), el("tbody", {}, rows)));
  }

  function messageBlock(title, schema) {
    if (!schema) return null;
    const ref = nestedRef(schema);
    const details = el("details", { class: "schema" },
      el("summary", {}, title + ": ", el("span", { class: "mono" }, typeLabel(schema))));
    details.addEventListener("toggle", () => {
      if (details.open && details.childElementCount === 1) {
        details.append(el("div", { class: "schema-body" }, schemaView(schema, ref ? [ref] : [])));
      }
    });
    return details;
  }

  // ---- Operations ------------------------------------------------------------------
  function isPublic(op) {
    return Array.isArray(op.security) && op.security.length === 0;
  }

  function parameterTable(params) {
    const plain = params.filter((p) => p.in !== "body");
    if (!plain.length) return null;
    return [el("h4", {}, "参数 Parameters"), el("table", {},
      el("thead", {}, el("tr", {}, el("th", {}, "名称 Name"), el("th", {}, "位置 In"),
        el("th", {}, "类型 Type"), el("th", {}, "说明 Description"))),
      el("tbody", {}, plain.map((p) => el("tr", {},
        el("td", { class: "name mono" }, p.name, p.required ? el("span", { class: "req" }, "required") : null),
        el("td", {}, p.in === "query" && p.type === "array" ? "query (repeat: ?" + p.name + "=a&" + p.name + "=b)" : p.in),
        el("td", { class: "mono type" }, typeLabel(p)),
        el("td", {}, p.description ? paragraphs(p.description) : null,
          p.enum ? el("div", { class: "enum" }, "enum: ", p.enum.join(" | ")) : null)))))];
  }

  function curlExample(verb, path, op) {
    const base = window.location.origin;
    const lines = ["curl -sS -X " + verb.toUpperCase() + " '" + base + path + "'"];
    if (!isPublic(op)) lines.push("  -H \"Authorization: Bearer $TOKEN\"");
    if ((op.parameters || []).some((p) => p.in === "body")) {
      lines.push("  -H 'Content-Type: application/json' -d '{ … }'");
    }
    return el("pre", { class: "curl" }, lines.join(" \\\n"));
  }

  function operationView(verb, path, op) {
    const params = op.parameters || [];
    const body = params.find((p) => p.in === "body");
    const ok = (op.responses || {})["200"];
    const error = (op.responses || {}).default;
    return el("article", { class: "op", id: "op-" + op.operationId },
      el("h3", {}, el("span", { class: "verb " + verb }, verb), el("span", { class: "path" }, path),
        isPublic(op)
          ? el("span", { class: "badge public", title: op["x-gongkai-access"] }, "公开 public")
          : el("span", { class: "badge auth", title: "Authorization: Bearer <JWT> or X-Api-Key" },
            "需要认证 token or API key")),
      op.summary ? el("div", { class: "summary" }, richText(op.summary)) : null,
      paragraphs(op.description),
      el("div", { class: "rpc mono" }, "gRPC: " + (op["x-gongkai-rpc"] || op.operationId)),
      parameterTable(params),
      body || ok || error ? el("h4", {}, "消息 Messages") : null,
      body ? messageBlock("请求体 Request body", body.schema) : null,
      ok ? messageBlock("200 响应 Response", ok.schema) : null,
      error ? messageBlock("错误 Error (" + (error.description || "default") + ")", error.schema) : null,
      el("h4", {}, "示例 Example"), curlExample(verb, path, op));
  }

  // ---- Page --------------------------------------------------------------------------
  function collect() {
    const byTag = new Map();
    for (const tag of spec.tags || []) byTag.set(tag.name, { tag, ops: [] });
    for (const [path, item] of Object.entries(spec.paths || {})) {
      for (const verb of VERBS) {
        const op = item[verb];
        if (!op) continue;
        const name = (op.tags && op.tags[0]) || "Other";
        if (!byTag.has(name)) byTag.set(name, { tag: { name }, ops: [] });
        byTag.get(name).ops.push({ verb, path, op });
      }
    }
    return byTag;
  }

  function render() {
    document.getElementById("api-title").textContent = spec.info.title;
    document.getElementById("api-version").textContent = "v" + spec.info.version;
    document.title = spec.info.title + " · API 参考";
    const content = document.getElementById("content");
    const nav = document.getElementById("nav");
    content.replaceChildren(el("section", { class: "intro" },
      el("h1", {}, spec.info.title), paragraphs(spec.info.description)));
    nav.replaceChildren();

    const entries = [];  // For search: { text, navLink, article, section, navGroup }.
    for (const { tag, ops } of collect().values()) {
      if (!ops.length) continue;
      const section = el("section", { class: "service", id: "tag-" + tag.name },
        el("h2", {}, tag.name), paragraphs(tag.description));
      const navGroup = el("div", {}, el("h3", {}, el("a", { href: "#tag-" + tag.name }, tag.name)));
      for (const { verb, path, op } of ops) {
        const article = operationView(verb, path, op);
        section.append(article);
        const navLink = el("a", { class: "op", href: "#op-" + op.operationId, title: op.summary || "" },
          el("span", { class: "verb " + verb }, verb), el("span", { class: "path" }, path));
        navGroup.append(navLink);
        entries.push({
          text: [verb, path, op.operationId, op.summary, op.description, op["x-gongkai-rpc"], tag.name]
            .filter(Boolean).join(" ").toLowerCase(),
          navLink, article, section, navGroup,
        });
      }
      content.append(section);
      nav.append(navGroup);
    }

    const search = document.getElementById("search");
    search.addEventListener("input", () => {
      const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      const visibleSections = new Set();
      for (const entry of entries) {
        const match = words.every((word) => entry.text.includes(word));
        entry.article.classList.toggle("hidden", !match);
        entry.navLink.classList.toggle("hidden", !match);
        if (match) visibleSections.add(entry.section);
      }
      for (const entry of entries) {
        const shown = visibleSections.has(entry.section);
        entry.section.classList.toggle("hidden", !shown);
        entry.navGroup.classList.toggle("hidden", !shown);
      }
    });
    if (window.location.hash) {
      const target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      if (target) target.scrollIntoView();
    }
  }

  function start() {
    fetch("/openapi.json", { headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok) throw new Error("GET /openapi.json: HTTP " + response.status);
        return response.json();
      })
      .then((json) => { spec = json; spec.definitions = spec.definitions || {}; render(); })
      .catch((error) => {
        const status = document.getElementById("status");
        status.className = "status error";
        status.textContent = "无法加载 Could not load the API description: " + error.message;
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
