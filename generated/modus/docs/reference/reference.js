// The reference's own script: sample tabs, the search box and the try-it console. No dependency; the only
// request it makes off the site's own files is the one the user sends with the console.
(function () {
  "use strict";

  var config = readJson(document.getElementById("reference-config")) || {};
  var STORE = "reference:" + (config.package || "") + ":";

  function readJson(element) {
    try {
      return element ? JSON.parse(element.textContent) : null;
    } catch (error) {
      return null;
    }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---- sample tabs

  function initTabs(root) {
    var tabs = Array.prototype.slice.call(root.querySelectorAll('[role="tab"]'));
    function select(tab) {
      tabs.forEach(function (other) {
        var on = other === tab;
        other.setAttribute("aria-selected", on ? "true" : "false");
        other.tabIndex = on ? 0 : -1;
        document.getElementById(other.getAttribute("aria-controls")).hidden = !on;
      });
    }
    tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () { select(tab); });
      tab.addEventListener("keydown", function (event) {
        var step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (!step) return;
        var next = tabs[(index + step + tabs.length) % tabs.length];
        select(next);
        next.focus();
        event.preventDefault();
      });
    });
  }

  // ---- search

  function initSearch(input) {
    var results = document.getElementById("search-results");
    var count = document.getElementById("search-count");
    var loading = false;
    function load() {
      if (window.referenceSearchIndex || loading) return;
      loading = true;
      var script = el("script", { src: "search-index.js" });
      script.onload = show;
      document.head.appendChild(script);
    }
    function show() {
      var index = window.referenceSearchIndex;
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      results.textContent = "";
      if (!index || !words.length) {
        results.hidden = true;
        count.textContent = "";
        return;
      }
      function all(text) {
        text = text.toLowerCase();
        return words.every(function (word) { return text.indexOf(word) >= 0; });
      }
      // names that match first, then the rest (by method, path or summary), each in index order
      var found = index.filter(function (entry) { return all(entry[1]); }).concat(
        index.filter(function (entry) { return !all(entry[1]) && all(entry[1] + " " + entry[2]); }));
      found.slice(0, 50).forEach(function (entry) {
        var item = el("li");
        var link = el("a", { href: entry[3] });
        link.appendChild(el("code", {}, entry[1]));
        item.appendChild(link);
        item.appendChild(el("span", { "class": "kind" }, " " + entry[0]));
        results.appendChild(item);
      });
      results.hidden = !found.length;
      count.textContent = found.length + (found.length === 1 ? " result" : " results");
    }
    input.addEventListener("focus", load);
    input.addEventListener("input", function () { load(); show(); });
    input.addEventListener("keydown", function (event) {
      var first = results.querySelector("a");
      if (event.key === "Enter" && first) { first.click(); event.preventDefault(); }
      if (event.key === "ArrowDown" && first) { first.focus(); event.preventDefault(); }
    });
  }

  // ---- the console: values, the request, the samples of that request

  var consoleEl = document.getElementById("console");
  var current = null; // the open operation's data
  var currentToggle = null;

  function q(name) { return consoleEl.querySelector('[data-try="' + name + '"]'); }

  function stored(name) {
    try { return window.sessionStorage.getItem(STORE + name) || ""; } catch (error) { return ""; }
  }

  function store(name, value) {
    try { window.sessionStorage.setItem(STORE + name, value); } catch (error) { /* storage off */ }
  }

  function credential(name) {
    var input = consoleEl.querySelector('[data-try-auth="' + name + '"]');
    return input ? input.value : "";
  }

  function encodeSegment(value) {
    var text = encodeURIComponent(value).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
    return text === "." || text === ".." ? text.replace(/\./g, "%2E") : text;
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function paramValue(param) {
    var input = consoleEl.querySelector('[data-try-param="' + cssEscape(param.wire) + '"][data-in="' + param.in + '"]');
    var value = input ? input.value : "";
    return value === "" && param.setting ? credential(param.setting) : value;
  }

  function cssEscape(text) {
    return window.CSS && window.CSS.escape ? window.CSS.escape(text) : text.replace(/["\\]/g, "\\$&");
  }

  function values(param, text) {
    return param.list ? text.split(",").map(function (x) { return x.trim(); }).filter(Boolean) : [text];
  }

  // The credential the client sends: its own scheme's, or else the first other one entered.
  function authScheme() {
    var schemes = config.schemes || [];
    var own = schemes.filter(function (s) { return s.key === config.clientScheme; });
    var others = schemes.filter(function (s) { return s.key !== config.clientScheme; });
    return own.concat(others).filter(function (s) { return credential(s.key); })[0] || null;
  }

  // A header replaces an earlier one of the same name, as in the client's header map.
  function put(headers, name, value) {
    var lower = name.toLowerCase();
    for (var i = headers.length - 1; i >= 0; i--) if (headers[i][0].toLowerCase() === lower) headers.splice(i, 1);
    headers.push([name, value]);
  }

  function build(op, secret) {
    var problems = [];
    var server = q("server").value.trim().replace(/\/+$/, "");
    var headers = [["Accept", op.accept]];
    var query = [];
    var scheme = op.auth ? authScheme() : null;
    if (scheme) {
      var key = secret ? credential(scheme.key) : "$" + "{" + (config.apiKeyEnv || "API_KEY") + "}";
      if (scheme.kind === "basic") put(headers, "Authorization", "Basic " + (secret ? btoa(key) : key));
      else if (scheme.kind === "api_key" && scheme.in === "query") query.push([scheme.param, key]);
      else if (scheme.kind === "api_key" && scheme.in === "header") put(headers, scheme.param, key);
      else if (scheme.kind !== "api_key") put(headers, "Authorization", "Bearer " + key);
    }
    var path = op.path.replace(/\{([^{}]+)\}/g, function (whole, name) {
      var param = op.params.filter(function (p) { return p.in === "path" && p.wire === name; })[0];
      var value = param ? paramValue(param) : "";
      if (!value) problems.push("Fill in the path parameter " + name + ".");
      return encodeSegment(value);
    });
    var ordered = op.params.filter(function (p) { return p.setting; }).concat(
      op.params.filter(function (p) { return !p.setting; }));
    ordered.forEach(function (param) {
      var text = paramValue(param);
      if (text === "") {
        if (param.required && param.in !== "path") problems.push("Fill in " + param.python + ".");
        return;
      }
      if (param.in === "query") values(param, text).forEach(function (v) { query.push([param.wire, v]); });
      if (param.in === "header") put(headers, param.wire, text);
    });
    if (op.idempotency) {
      var given = headers.some(function (h) { return h[0].toLowerCase() === op.idempotency.toLowerCase(); });
      if (!given) put(headers, op.idempotency, uuid()); // a fresh key each time, in the samples too
    }
    var body = null;
    var bodyText = "";
    var form = [];
    if (op.body && op.body.kind === "json") {
      bodyText = q("body").value.trim();
      if (bodyText) {
        try {
          body = JSON.stringify(JSON.parse(bodyText));
          put(headers, "Content-Type", op.body.contentType);
        } catch (error) {
          problems.push("The request body is not valid JSON: " + error.message);
        }
      }
    } else if (op.body && (op.body.kind === "multipart" || op.body.kind === "form")) {
      op.params.filter(function (p) { return p.in === "form"; }).forEach(function (param) {
        var text = paramValue(param);
        if (text !== "") values(param, text).forEach(function (v) { form.push([param.wire, v, null]); });
      });
      consoleEl.querySelectorAll("[data-try-file]").forEach(function (input) {
        Array.prototype.forEach.call(input.files, function (file) {
          form.push([input.getAttribute("data-try-file"), file, file.name]);
        });
      });
      if (op.body.kind === "multipart") {
        body = new FormData();
        form.forEach(function (part) { body.append(part[0], part[1]); });
      } else {
        body = new URLSearchParams(form.map(function (part) { return [part[0], part[1]]; })).toString();
        put(headers, "Content-Type", "application/x-www-form-urlencoded");
      }
    } else if (op.body) {
      var file = consoleEl.querySelector("[data-try-file]");
      body = file && file.files[0] ? file.files[0] : null;
      if (body) put(headers, "Content-Type", op.body.contentType);
      form = body ? [["", body, body.name]] : [];
    }
    var search = query.map(function (pair) {
      return encodeURIComponent(pair[0]) + "=" + (secret || pair[1].indexOf("$") !== 0 ? encodeURIComponent(pair[1]) : pair[1]);
    }).join("&");
    return {
      url: server + path + (search ? "?" + search : ""),
      method: op.method,
      headers: headers,
      body: body,
      bodyText: body === null ? "" : bodyText,
      form: form,
      problems: problems,
    };
  }

  function shell(text) {
    return "'" + String(text).replace(/'/g, "'\\''") + "'";
  }

  function shellMaybeEnv(text) {
    return /\$\{|\$\(/.test(text) ? '"' + text.replace(/"/g, '\\"') + '"' : shell(text);
  }

  function curl(op, request) {
    var lines = ["curl" + (op.kind === "stream" ? " -N" : "") + (op.method === "GET" ? "" : " -X " + op.method) + " " + shellMaybeEnv(request.url)];
    request.headers.forEach(function (h) { lines.push("-H " + shellMaybeEnv(h[0] + ": " + h[1])); });
    if (op.body && op.body.kind === "json" && request.body !== null) lines.push("-d " + shell(request.bodyText));
    request.form.forEach(function (part) {
      if (op.body.kind === "multipart") lines.push("-F " + shell(part[0] + "=" + (part[2] ? "@" + part[2] : part[1])));
      else if (op.body.kind === "form") lines.push("--data-urlencode " + shell(part[0] + "=" + part[1]));
      else lines.push("--data-binary " + shell("@" + part[2]));
    });
    if (op.kind === "binary") lines.push("-o output");
    return lines.join(" \\\n  ");
  }

  function py(value) {
    if (value === null || value === undefined) return "None";
    if (value === true) return "True";
    if (value === false) return "False";
    if (Array.isArray(value)) return "[" + value.map(py).join(", ") + "]";
    if (typeof value === "object") {
      return "{" + Object.keys(value).map(function (k) { return JSON.stringify(k) + ": " + py(value[k]); }).join(", ") + "}";
    }
    return JSON.stringify(value);
  }

  function typed(param, text) {
    if (/^(int|float)\b/.test(param.type) && text !== "" && !isNaN(Number(text))) return text;
    if (/^bool\b/.test(param.type) && (text === "true" || text === "false")) return text === "true" ? "True" : "False";
    return JSON.stringify(text);
  }

  function python(op, isAsync) {
    var cls = (isAsync ? "Async" : "") + config.clientClass;
    var imports = ["from " + config.package + " import " + cls];
    var ctor = [];
    var server = q("server").value.trim().replace(/\/+$/, "");
    var known = (config.servers || [])[0];
    if (op.serverName) {
      // an operation on another host is sent to the client's `<name>_base_url`
      if (server && server !== (op.server || "").replace(/\/+$/, "")) ctor.push(op.serverName + "_base_url=" + JSON.stringify(server));
    } else if (server && (!known || known.url.replace(/\/+$/, "") !== server)) {
      ctor.push("base_url=" + JSON.stringify(server));
    }
    (config.settings || []).forEach(function (s) {
      if (credential(s.name)) ctor.push(s.name + "=" + JSON.stringify(credential(s.name)));
    });
    var args = [];
    op.params.forEach(function (param) {
      var input = consoleEl.querySelector('[data-try-param="' + cssEscape(param.wire) + '"][data-in="' + param.in + '"]');
      var text = input ? input.value : "";
      if (text === "") return;
      var vs = values(param, text).map(function (v) { return typed(param, v); });
      args.push(param.python + "=" + (param.list ? "[" + vs.join(", ") + "]" : vs[0]));
    });
    if (op.body && op.body.kind === "json") {
      try {
        var parsed = JSON.parse(q("body").value || "null");
        if (op.body.whole && parsed !== null) args.push(op.body.whole + "=" + py(parsed));
        else if (parsed && typeof parsed === "object") {
          var extra = {};
          Object.keys(parsed).forEach(function (key) {
            if (op.body.fields[key]) args.push(op.body.fields[key] + "=" + py(parsed[key]));
            else extra[key] = parsed[key];
          });
          if (Object.keys(extra).length) args.push("extra_body=" + py(extra));
        }
      } catch (error) { /* shown when sending */ }
    }
    op.files.forEach(function (file) {
      var input = consoleEl.querySelector('[data-try-file="' + cssEscape(file.wire) + '"]');
      var paths = input ? Array.prototype.map.call(input.files, function (f) { return "Path(" + JSON.stringify(f.name) + ")"; }) : [];
      if (paths.length) args.push(file.python + "=" + (file.many ? "[" + paths.join(", ") + "]" : paths[0]));
    });
    if (op.body && op.body.whole && op.body.kind !== "json" && op.body.kind !== "multipart" && op.body.kind !== "form") {
      var raw = consoleEl.querySelector("[data-try-file]");
      if (raw && raw.files[0]) args.push(op.body.whole + "=Path(" + JSON.stringify(raw.files[0].name) + ")");
    }
    if (args.some(function (a) { return a.indexOf("=Path(") > 0; })) imports.unshift("from pathlib import Path\n");
    var call = op.call + (args.length ? "(\n    " + args.join(",\n    ") + ",\n)" : "()");
    var wait = isAsync ? "await " : "";
    var use;
    if (op.kind === "page") use = (isAsync ? "async " : "") + "for item in " + call + ":\n    print(item)";
    else if (op.kind === "stream" && isAsync) use = "stream = await " + call + "\nasync with stream:\n    async for event in stream:\n        print(event)";
    else if (op.kind === "stream") use = "with " + call + " as stream:\n    for event in stream:\n        print(event)";
    else if (op.kind === "binary") use = "response = " + wait + call + "\n" + wait + 'response.write_to_file("output")';
    else if (op.kind === "empty") use = wait + call;
    else use = "result = " + wait + call + "\nprint(result)";
    var client = "client = " + cls + "(" + (ctor.length ? "\n    " + ctor.join(",\n    ") + ",\n" : "") + ")";
    var body = client + "\n" + use;
    if (!isAsync) return imports.join("\n") + "\n\n" + body;
    var indented = body.split("\n").map(function (line) { return line ? "    " + line : line; }).join("\n");
    return "import asyncio\n\n" + imports.join("\n") + "\n\n\nasync def main() -> None:\n" + indented + "\n\n\nasyncio.run(main())";
  }

  function refresh() {
    if (!current) return;
    var request = build(current, false);
    q("curl").textContent = curl(current, request);
    q("python").textContent = python(current, false);
    q("python-async").textContent = python(current, true);
  }

  // ---- the console: its fields, opening it in an operation, sending

  function field(param, index) {
    var id = "try-param-" + index + "-" + param.wire.replace(/[^A-Za-z0-9_-]/g, "_");
    var wrap = el("div", { "class": "field" });
    var label = el("label", { "for": id });
    label.appendChild(el("code", {}, param.python));
    var detail = " (" + param.in + " " + param.wire + ", " + param.type + (param.required ? ", required" : "") +
      (param.setting ? ", defaults to the client setting " + param.setting : "") + (param.list ? ", comma-separated" : "") + ")";
    label.appendChild(el("span", { "class": "detail" }, detail));
    var input;
    if (param.enum.length && !param.list) {
      input = el("select", { id: id });
      input.appendChild(el("option", { value: "" }, "(not sent)"));
      param.enum.forEach(function (v) { input.appendChild(el("option", { value: String(v) }, String(v))); });
    } else {
      input = el("input", { id: id, type: "text", autocomplete: "off", spellcheck: "false" });
    }
    input.setAttribute("data-try-param", param.wire);
    input.setAttribute("data-in", param.in);
    if (param.required && !param.setting) input.setAttribute("aria-required", "true");
    wrap.appendChild(label);
    wrap.appendChild(input);
    return wrap;
  }

  function fileField(wire, label, many, index) {
    var id = "try-file-" + index + "-" + wire.replace(/[^A-Za-z0-9_-]/g, "_");
    var wrap = el("div", { "class": "field" });
    wrap.appendChild(el("label", { "for": id }, label));
    var input = el("input", { id: id, type: "file", "data-try-file": wire });
    if (many) input.multiple = true;
    wrap.appendChild(input);
    return wrap;
  }

  function open(section, focus) {
    var op = readJson(section.querySelector(".operation-data"));
    if (!op || !consoleEl) return;
    var slot = section.querySelector(".console-slot");
    if (current && current.id === op.id && slot.contains(consoleEl)) {
      consoleEl.hidden = false;
      return;
    }
    if (currentToggle) currentToggle.setAttribute("aria-expanded", "false");
    current = op;
    currentToggle = section.querySelector('[data-try="open"]');
    currentToggle.setAttribute("aria-expanded", "true");
    slot.appendChild(consoleEl);
    q("title").textContent = op.call;
    var fields = q("fields");
    fields.textContent = "";
    op.params.forEach(function (param, index) { fields.appendChild(field(param, index)); });
    op.files.forEach(function (file, index) {
      fields.appendChild(fileField(file.wire, file.python + " (file part " + file.wire + ")", file.many, index));
    });
    if (op.body && op.body.kind !== "json" && op.body.kind !== "multipart" && op.body.kind !== "form") {
      fields.appendChild(fileField("(body)", "Request body (" + op.body.contentType + ")", false, "body"));
    }
    if (!fields.children.length) fields.appendChild(el("p", {}, "This operation takes no arguments."));
    var json = op.body && op.body.kind === "json";
    q("body-field").hidden = !json;
    q("body").value = json ? op.body.example : "";
    var server = q("server");
    var known = (config.servers || []).map(function (s) { return s.url; });
    if (op.server && (server.value === "" || known.indexOf(server.value) >= 0)) server.value = op.server;
    ["status", "headers", "response", "message"].forEach(function (name) { q(name).textContent = ""; });
    consoleEl.hidden = false;
    refresh();
    if (focus) q("server").focus();
  }

  function explain(request, error) {
    var message = q("message");
    message.textContent = "";
    message.appendChild(el("p", {}, "The browser did not let this page read an answer from " + request.url +
      " (" + (error && error.message ? error.message : "network error") + "). Either the server could not be " +
      "reached, or it does not allow requests from this page: a server must answer the CORS preflight " +
      "(OPTIONS) with Access-Control-Allow-Origin and allow the headers sent. Run the same request from a terminal instead:"));
    message.appendChild(el("pre", { tabindex: "0" }, curl(current, build(current, false))));
  }

  function show(response) {
    q("status").textContent = String(response.status);
    var lines = [];
    response.headers.forEach(function (value, name) { lines.push(name + ": " + value); });
    q("headers").textContent = lines.join("\n");
    var type = response.headers.get("content-type") || "";
    var out = q("response");
    out.textContent = "";
    if (type.indexOf("text/event-stream") === 0 && response.body) return streamEvents(response.body.getReader(), out);
    if (/json/.test(type)) {
      return response.text().then(function (text) {
        try { out.textContent = JSON.stringify(JSON.parse(text), null, 2); } catch (error) { out.textContent = text; }
      });
    }
    if (/^text\/|xml|javascript/.test(type) || !type) return response.text().then(function (text) { out.textContent = text; });
    return response.arrayBuffer().then(function (buffer) { out.textContent = buffer.byteLength + " bytes of " + type; });
  }

  function streamEvents(reader, out) {
    var decoder = new TextDecoder();
    var buffer = "";
    function event(block) {
      var lines = block.split(/\r?\n/);
      var data = lines.filter(function (l) { return l.indexOf("data:") === 0; }).map(function (l) { return l.slice(5).replace(/^ /, ""); }).join("\n");
      var head = lines.filter(function (l) { return l && l.indexOf("data:") !== 0; }).join("\n");
      var shown = data;
      try { shown = JSON.stringify(JSON.parse(data), null, 2); } catch (error) { /* not JSON */ }
      out.textContent += (head ? head + "\n" : "") + (data ? "data: " + shown + "\n" : "") + "\n";
    }
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          if (buffer.trim()) event(buffer);
          return;
        }
        buffer += decoder.decode(chunk.value, { stream: true });
        var parts = buffer.split(/\r?\n\r?\n/);
        buffer = parts.pop();
        parts.forEach(function (block) { if (block.trim()) event(block); });
        return pump();
      });
    }
    return pump();
  }

  function send() {
    if (!current) return;
    var request = build(current, true);
    refresh();
    var message = q("message");
    if (request.problems.length) {
      message.textContent = request.problems.join(" ");
      return;
    }
    var headers = new Headers();
    request.headers.forEach(function (h) { headers.append(h[0], h[1]); });
    message.textContent = "Sending " + request.method + " " + request.url.split("?")[0] + "…";
    ["status", "headers", "response"].forEach(function (name) { q(name).textContent = ""; });
    fetch(request.url, {
      method: request.method,
      headers: headers,
      body: request.body,
      mode: "cors",
      credentials: "omit",
      referrerPolicy: "no-referrer",
    }).then(function (response) {
      message.textContent = "Answered with status " + response.status + (response.statusText ? " " + response.statusText : "") + ".";
      return show(response);
    }, function (error) {
      explain(request, error);
    }).catch(function (error) {
      message.textContent = "Reading the answer failed: " + error.message;
    });
  }

  function initConsole() {
    var inputs = consoleEl.querySelectorAll('[data-try="server"], [data-try-auth]');
    Array.prototype.forEach.call(inputs, function (input) {
      var name = input.getAttribute("data-try-auth") || "server";
      var value = stored(name);
      if (value) input.value = value;
      input.addEventListener("input", function () { store(name, input.value); });
    });
    consoleEl.addEventListener("input", refresh);
    consoleEl.addEventListener("change", refresh);
    q("send").addEventListener("click", send);
    q("close").addEventListener("click", function () {
      consoleEl.hidden = true;
      if (currentToggle) {
        currentToggle.setAttribute("aria-expanded", "false");
        currentToggle.focus();
      }
    });
    document.querySelectorAll('[data-try="open"]').forEach(function (button) {
      button.addEventListener("click", function () { open(button.closest("section.operation"), true); });
    });
    function follow() {
      var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
      if (target && target.matches("section.operation")) open(target, false);
    }
    window.addEventListener("hashchange", follow);
    follow();
  }

  document.querySelectorAll("[data-tabs]").forEach(initTabs);
  var search = document.querySelector("[data-search]");
  if (search) initSearch(search);
  if (consoleEl) initConsole();
})();
