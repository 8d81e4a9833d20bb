(function () {
  "use strict";
  var token = new URLSearchParams(location.search).get("token") || "";
  var state = null;
  var cur = 0;
  var editing = false;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function say(text, isErr) { var m = $("msg"); m.textContent = text; m.className = isErr ? "err" : ""; }

  function api(method, path, body) {
    var opts = { method: method, headers: { "X-Repair-Token": token } };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    return fetch(path, opts).then(function (r) {
      return r.json().catch(function () { return { error: "HTTP " + r.status }; }).then(function (d) {
        if (!r.ok) throw new Error(d.error || ("HTTP " + r.status));
        return d;
      });
    });
  }

  function setState(s) {
    state = s;
    render();
  }

  function baLine(item) {
    var d = el("div", "ba");
    d.appendChild(el(item.type === "flag" ? "span" : "del", null, item.before === "" ? "∅" : item.before));
    d.appendChild(document.createTextNode(" → "));
    d.appendChild(el("ins", null, item.type === "flag" ? "?" : (item.after === "" ? "∅" : item.after)));
    return d;
  }

  function card(item, i) {
    var c = el("div", "card " + item.decision + (i === cur ? " current" : ""));
    c.id = "item-" + item.id;
    c.setAttribute("data-id", item.id);
    c.setAttribute("data-decision", item.decision);
    var top = el("div", "top");
    top.appendChild(el("span", "n", "#" + item.n));
    top.appendChild(el("span", "badge", item.kind));
    top.appendChild(el("span", "badge type-" + item.type, item.type === "edit" ? "applied edit" : item.type));
    top.appendChild(el("span", "status " + item.decision, item.decision === "accept" ? "accepted" : item.decision === "reject" ? "rejected" : "pending"));
    c.appendChild(top);
    c.appendChild(baLine(item));
    c.appendChild(el("div", "why", item.reason));
    c.appendChild(el("div", "conf", "confidence " + Number(item.confidence).toFixed(2)));
    var act = el("div", "actions");
    var acc = el("button", "acc", "Accept (a)"); acc.type = "button";
    acc.disabled = item.type === "flag";
    acc.addEventListener("click", function (ev) { ev.stopPropagation(); cur = i; decide("accept"); });
    var rej = el("button", "rej", "Reject (r)"); rej.type = "button";
    rej.addEventListener("click", function (ev) { ev.stopPropagation(); cur = i; decide("reject"); });
    var ed = el("button", "ed", "Edit (e)"); ed.type = "button";
    ed.addEventListener("click", function (ev) { ev.stopPropagation(); cur = i; startEdit(); });
    acc.setAttribute("aria-pressed", item.decision === "accept" ? "true" : "false");
    rej.setAttribute("aria-pressed", item.decision === "reject" ? "true" : "false");
    act.appendChild(acc); act.appendChild(rej); act.appendChild(ed);
    if (item.options && item.options.length > 1) {
      var opts = el("span", "opts");
      item.options.forEach(function (o) {
        var b = el("button", null, o); b.type = "button"; b.title = "accept this option";
        b.addEventListener("click", function (ev) { ev.stopPropagation(); cur = i; decide("accept", o); });
        opts.appendChild(b);
      });
      act.appendChild(opts);
    }
    c.appendChild(act);
    c.addEventListener("click", function () { if (!editing) { cur = i; render(); } });
    return c;
  }

  function render() {
    if (!state) return;
    $("title").textContent = "repair review — " + state.path;
    document.title = "repair review — " + state.path;
    var k = state.counts;
    var counts = $("counts");
    counts.textContent = "";
    counts.appendChild(el("span", null, state.items.length + " changes"));
    counts.appendChild(el("span", "status accept", k.accept + " accepted"));
    counts.appendChild(el("span", "status reject", k.reject + " rejected"));
    counts.appendChild(el("span", "status pending", k.pending + " pending"));
    if (state.spun_score !== null && state.spun_score !== undefined) counts.appendChild(el("span", null, "spun score " + Number(state.spun_score).toFixed(2)));
    counts.appendChild(el("span", null, state.dirty ? "● unsaved" : "saved"));
    document.body.setAttribute("data-dirty", state.dirty ? "1" : "0");
    var list = $("list");
    list.textContent = "";
    if (!state.items.length) list.appendChild(el("p", null, "Nothing to review: no changes or suggestions."));
    cur = Math.max(0, Math.min(cur, state.items.length - 1));
    state.items.forEach(function (item, i) { list.appendChild(card(item, i)); });
    var item = state.items[cur];
    var ctx = $("context");
    ctx.textContent = "";
    if (item) {
      ctx.appendChild(document.createTextNode(item.context.slice(0, item.context_at)));
      if (item.before) ctx.appendChild(el("del", null, item.before));
      if (item.decision !== "reject" && item.type !== "flag") ctx.appendChild(el("ins", null, item.after));
      ctx.appendChild(document.createTextNode(item.context.slice(item.context_at + item.before.length)));
    }
    var res = $("result");
    res.textContent = "";
    state.pieces.forEach(function (p) {
      if (p.id) {
        var m = el("mark", p.id === (item && item.id) ? "current" : null, p.t);
        m.setAttribute("data-id", p.id); m.title = "#" + p.n;
        res.appendChild(m);
      } else {
        res.appendChild(document.createTextNode(p.t));
      }
    });
    var cc = document.querySelector(".card.current");
    if (cc) cc.scrollIntoView({ block: "nearest" });
    var rm = res.querySelector("mark.current");
    if (rm) rm.scrollIntoView({ block: "nearest" });
  }

  function decide(decision, after) {
    var item = state && state.items[cur];
    if (!item) return;
    var body = { id: item.id, decision: decision };
    if (after !== undefined) body.after = after;
    return api("POST", "/api/decide", body).then(function (s) {
      setState(s);
      say(s.notes && s.notes.length ? s.notes.join("; ") : "#" + item.n + " " + (decision === "accept" ? "accepted" : decision === "reject" ? "rejected" : "pending"));
    }).catch(function (e) { say(e.message, true); });
  }

  function startEdit() {
    var item = state && state.items[cur];
    if (!item || editing) return;
    editing = true;
    var c = $("item-" + item.id);
    var act = c.querySelector(".actions");
    act.textContent = "";
    var inp = el("input"); inp.type = "text"; inp.value = item.after; inp.setAttribute("aria-label", "replacement text");
    var ok = el("button", null, "Accept edited (Enter)"); ok.type = "button";
    var finish = function (accept) {
      editing = false;
      if (accept) decide("accept", inp.value); else render();
    };
    inp.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); finish(true); }
      else if (ev.key === "Escape") { ev.preventDefault(); finish(false); }
      ev.stopPropagation();
    });
    ok.addEventListener("click", function (ev) { ev.stopPropagation(); finish(true); });
    act.appendChild(inp); act.appendChild(ok);
    inp.focus(); inp.select();
  }

  function save() {
    return api("POST", "/api/save", {}).then(function (d) {
      setState(d.state);
      say("saved " + d.saved + " and " + d.sidecar);
    }).catch(function (e) { say(e.message, true); });
  }

  function finished(text) {
    document.body.textContent = "";
    var d = el("div", "done");
    d.appendChild(el("p", null, text));
    d.appendChild(el("p", null, "The review server has stopped; you can close this tab."));
    document.body.appendChild(d);
    document.body.setAttribute("data-finished", "1");
  }

  $("save").addEventListener("click", save);
  $("done").addEventListener("click", function () {
    api("POST", "/api/done", {}).then(function (d) { finished("Saved " + d.saved + " (" + d.accepted + " accepted, " + d.rejected + " rejected)."); })
      .catch(function (e) { say(e.message, true); });
  });
  $("quit").addEventListener("click", function () {
    if (state && state.dirty && !confirm("Quit without saving your decisions?")) return;
    api("POST", "/api/shutdown", {}).then(function () { finished("Stopped without saving."); })
      .catch(function (e) { say(e.message, true); });
  });

  document.addEventListener("keydown", function (ev) {
    if (editing || !state || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target.tagName;
    if (t === "INPUT" || t === "TEXTAREA") return;
    var n = state.items.length;
    switch (ev.key) {
      case "j": case "ArrowDown": if (n) { cur = Math.min(n - 1, cur + 1); render(); } break;
      case "k": case "ArrowUp": if (n) { cur = Math.max(0, cur - 1); render(); } break;
      case "a": decide("accept"); break;
      case "r": decide("reject"); break;
      case "u": decide("pending"); break;
      case "e": startEdit(); break;
      case "s": save(); break;
      default: return;
    }
    ev.preventDefault();
  });

  window.addEventListener("beforeunload", function (ev) {
    if (state && state.dirty && !document.body.getAttribute("data-finished")) { ev.preventDefault(); ev.returnValue = ""; }
  });

  api("GET", "/api/state").then(setState).catch(function (e) { say(e.message, true); });
})();
