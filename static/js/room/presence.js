// Who is in the room now, and who is typing.
(function () {
  "use strict";
  var R = window.RoomPage;
  if (!R) { return; }
  var presenceList = document.getElementById("presence");
  var presenceMore = document.getElementById("presence-more");
  var typingLine = document.getElementById("typing");
  var typers = {};

  function changeMore(by) {
    var span = presenceMore.querySelector("span");
    var more = Math.max(0, (parseInt(span.textContent, 10) || 0) + by);
    span.textContent = String(more);
    presenceMore.hidden = !more;
  }

  // Away (outside their hours or on a break); "on a break" only reaches those
  // allowed to know it (the server leaves it out for everyone else).
  function markAway(item, person) {
    if (person["break"]) { item.appendChild(R.text("span", "away", " " + t("(on a break)"))); }
    else if (person.away) { item.appendChild(R.text("span", "away", " " + t("(away)"))); }
  }

  R.setPresence = function (people, more) {
    if (presenceMore) {
      presenceMore.hidden = !more;
      presenceMore.querySelector("span").textContent = String(more || 0);
    }
    presenceList.textContent = "";
    people.forEach(function (person) {
      var item = R.personNode("li", "", person);
      item.setAttribute("data-id", person.id);
      markAway(item, person);
      presenceList.appendChild(item);
    });
  };

  function personJoined(member) {
    if (presenceList.querySelector('li[data-id="' + member.id + '"]')) { return; }
    if (presenceMore && !presenceMore.hidden) { return changeMore(1); }  // list is full
    var item = R.personNode("li", "", member);
    item.setAttribute("data-id", member.id);
    markAway(item, member);
    presenceList.appendChild(item);
  }
  function personLeft(id) {
    var item = presenceList.querySelector('li[data-id="' + id + '"]');
    if (item) { item.remove(); } else if (presenceMore && !presenceMore.hidden) { changeMore(-1); }
  }
  // Away or back (hours, a break): the mark changes, never the reason.
  function personAway(state) {
    var item = presenceList.querySelector('li[data-id="' + state.id + '"]');
    if (!item) { return; }
    var mark = item.querySelector(".away");
    if (mark && !state.away) { mark.remove(); }
    if (!mark && state.away) { item.appendChild(R.text("span", "away", " " + t("(away)"))); }
  }
  // The server coalesces joins and leaves: one batch per room every ~250 ms,
  // applied in order (a join then a leave of one person ends with them gone).
  R.socket.on("presence:changed", function (event) {
    if (event.room_id !== R.roomId) { return; }
    event.changes.forEach(function (change) {
      if (change.joined) { personJoined(change.joined); }
      if (change.left) { personLeft(change.left); }
      if (change.away) { personAway(change.away); }
    });
  });

  function showTyping() {
    var names = Object.keys(typers).map(function (id) { return typers[id].name; });
    typingLine.textContent = !names.length ? "" : names.length > 1
      ? t("{names} are typing…", { names: names.join(", ") }) : t("{name} is typing…", { name: names[0] });
  }
  R.stoppedTyping = function (id) { delete typers[id]; showTyping(); };
  R.socket.on("typing", function (event) {
    if (event.room_id !== R.roomId) { return; }
    var id = event.member.id;
    if (typers[id]) { clearTimeout(typers[id].timer); }
    typers[id] = { name: R.displayName(event.member), timer: setTimeout(function () { R.stoppedTyping(id); }, 4000) };
    showTyping();
  });
})();
