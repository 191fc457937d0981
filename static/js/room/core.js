// The room page's shared namespace (window.RoomPage): the page's settings from
// data attributes, its elements, small DOM helpers, and the socket (connected
// by live.js, the last script, once every part has registered its handlers).
// Nothing of the chat is written to localStorage, sessionStorage or IndexedDB:
// unsent messages live only in this page's memory.
(function () {
  "use strict";
  var root = document.getElementById("room");
  if (!root || typeof io === "undefined") { return; }
  function data(name) { return root.getAttribute("data-" + name) || ""; }

  var R = window.RoomPage = {
    roomId: data("room-id"),
    me: data("me"),
    labels: JSON.parse(data("labels") || "{}"),
    moderator: data("moderator") === "1",
    csrf: data("csrf"),
    zone: data("zone") || undefined,
    urls: {
      report: data("report-url"),
      card: data("card-url"),
      resource: data("resource-url"),
      oneToOne: data("one-to-one-url"),
      room: data("room-url"),
      rooms: data("rooms-url")
    },
    list: document.getElementById("messages"),
    form: document.getElementById("composer"),
    connection: document.getElementById("connection"),
    // Same origin only, WebSocket transport: the page sends no Referer and
    // Origin is checked on the handshake.
    socket: io({ transports: ["websocket"], reconnectionDelayMax: 5000, autoConnect: false })
  };

  // A URL from a data attribute, its placeholder (RESOURCE, ROOM, ...) replaced.
  R.url = function (template, placeholder, value) {
    return template.replace(placeholder, encodeURIComponent(value));
  };

  R.text = function (tag, className, value) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    node.textContent = value;
    return node;
  };

  // A person as the server's person() macro draws them: pseudonym, then the tag
  // that tells apart two people who share a name.
  R.displayName = function (p) { return p.pseudonym + (p.tag ? " · " + p.tag : ""); };
  R.personNode = function (tag, className, p) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    var name = R.text("span", "person", p.pseudonym);
    if (p.tag) {
      name.appendChild(document.createTextNode(" "));
      name.appendChild(R.text("span", "tag", "· " + p.tag));
    }
    node.appendChild(name);
    return node;
  };

  // Times in the member's own zone (their profile's), whatever the device says.
  // The server sends UTC; one without an offset is UTC too.
  R.parseTime = function (iso) {
    if (!iso) { return null; }
    var value = /(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : iso + "Z";
    var moment = new Date(value.replace(/(\.\d{3})\d+/, "$1"));
    return isNaN(moment.getTime()) ? null : moment;
  };
  function formatter(options) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, Object.assign({ timeZone: R.zone }, options));
    } catch (e) {  // an unknown zone: the device's own
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, options);
    }
  }
  var clock = formatter({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  var day = formatter({ weekday: "short", day: "numeric", month: "short", year: "numeric" });
  var full = formatter({ dateStyle: "full", timeStyle: "short" });
  var zoneName = formatter({ timeZoneName: "short" });
  R.clock = function (moment) { return moment ? clock.format(moment) : ""; };
  R.day = function (moment) { return moment ? day.format(moment) : ""; };
  R.fullTime = function (moment) {
    if (!moment) { return ""; }
    var parts = zoneName.formatToParts(moment).filter(function (p) { return p.type === "timeZoneName"; });
    return full.format(moment) + (parts.length ? " " + parts[0].value : "");
  };
})();
