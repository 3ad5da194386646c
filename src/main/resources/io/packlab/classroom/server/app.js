// The classroom page: the room from room.json, then live from the event stream. Learner text only
// ever goes into the page through textContent (never as markup).
'use strict';
(function () {
  const T = {
    en: {
      title: 'packlab classroom', sortBy: 'Sort:', stuck: 'stuck first', name: 'name', lesson: 'lesson',
      langSwitch: '日本語', learners: 'learners', stuckN: 'stuck', awayN: 'away', refused: 'Refused pushes (wrong code):',
      perLesson: 'Per lesson:', mostFailing: 'Fails most:', none: 'none', hMark: '', hName: 'Learner',
      hLesson: 'Lesson', hState: 'State', hCheck: 'Failing check and hint', hTime: 'On this lesson',
      working: 'working', failing: 'failing', passed: 'passed', finished: 'all passed', markStuck: 'STUCK', markAway: 'away',
      markLeft: 'left', failures: (n) => n + (n === 1 ? ' failure' : ' failures'), minutes: (m) => m + ' min',
      learnersOn: (n) => n + (n === 1 ? ' learner' : ' learners'), done: (n, t) => n + '/' + t + ' done',
      live: 'live', lost: 'reconnecting…', empty: 'No learner has joined yet.'
    },
    ja: {
      title: 'packlab 教室', sortBy: '並べ替え:', stuck: 'つまずき順', name: '名前順', lesson: 'レッスン順',
      langSwitch: 'English', learners: '人', stuckN: '人つまずき', awayN: '人離席', refused: '拒否した送信（コード違い）:',
      perLesson: 'レッスンごと:', mostFailing: '最も多い失敗:', none: 'なし', hMark: '', hName: '受講者',
      hLesson: 'レッスン', hState: '状態', hCheck: '失敗しているチェックとヒント', hTime: 'このレッスンで',
      working: '作業中', failing: '失敗中', passed: '合格', finished: '全て合格', markStuck: 'つまずき', markAway: '離席',
      markLeft: '終了', failures: (n) => n + ' 回失敗', minutes: (m) => m + ' 分',
      learnersOn: (n) => n + ' 人', done: (n, t) => n + '/' + t + ' 合格',
      live: '接続中', lost: '再接続中…', empty: 'まだ誰も参加していません。'
    }
  };
  let lang = (localStorage.getItem('packlab-classroom-lang') || document.documentElement.lang) === 'ja' ? 'ja' : 'en';
  let sortBy = 'stuck';
  let room = null;
  let receivedAt = 0;
  const base = location.pathname.endsWith('/') ? location.pathname : location.pathname + '/';
  const $ = (id) => document.getElementById(id);

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function clock(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const two = (n) => (n < 10 ? '0' : '') + n;
    return (h > 0 ? h + ':' + two(m) : String(m)) + ':' + two(r);
  }

  function labels() {
    const t = T[lang];
    document.documentElement.lang = lang;
    document.title = t.title;
    $('title').textContent = t.title;
    $('sort-label').textContent = t.sortBy;
    $('sort-stuck').textContent = t.stuck;
    $('sort-name').textContent = t.name;
    $('sort-lesson').textContent = t.lesson;
    $('lang-switch').textContent = t.langSwitch;
    $('label-learners').textContent = t.learners;
    $('label-stuck').textContent = t.stuckN;
    $('label-away').textContent = t.awayN;
    $('label-refused').textContent = t.refused;
    $('label-per-lesson').textContent = t.perLesson;
    $('label-most-failing').textContent = t.mostFailing;
    $('h-mark').textContent = t.hMark;
    $('h-name').textContent = t.hName;
    $('h-lesson').textContent = t.hLesson;
    $('h-state').textContent = t.hState;
    $('h-check').textContent = t.hCheck;
    $('h-time').textContent = t.hTime;
    for (const b of document.querySelectorAll('button[data-sort]')) {
      b.classList.toggle('active', b.dataset.sort === sortBy);
    }
  }

  function sorted(rows) {
    const copy = rows.slice();
    if (sortBy === 'name') copy.sort((a, b) => a.name.localeCompare(b.name) || a.key - b.key);
    if (sortBy === 'lesson') copy.sort((a, b) => b.lesson - a.lesson || b.done - a.done || a.key - b.key);
    return copy; // 'stuck': the server's order (stuck first, away last)
  }

  function markCell(r, t) {
    const td = el('td', 'mark-cell');
    if (r.stuck) {
      const why = [];
      if (r.stuckWhy.includes('failures')) why.push(t.failures(r.failures));
      if (r.stuckWhy.includes('time')) why.push(t.minutes(Math.floor(r.secondsOnLesson / 60)));
      td.appendChild(el('span', 'mark stuck', t.markStuck));
      td.appendChild(el('div', 'why', why.join(', ')));
    }
    if (r.left) td.appendChild(el('span', 'mark away', t.markLeft));
    else if (r.away) td.appendChild(el('span', 'mark away', t.markAway));
    return td;
  }

  function render() {
    labels();
    if (!room) return;
    const t = T[lang];
    const s = room.summary;
    $('count-learners').textContent = s.learners;
    $('count-stuck').textContent = s.stuck;
    $('count-away').textContent = s.away;
    $('refused-count').textContent = s.refused.wrongCode;
    const per = $('per-lesson');
    per.replaceChildren();
    for (const p of s.perLesson) {
      per.appendChild(el('span', 'chip', p.lesson + ' ' + p.title + ': ' + t.learnersOn(p.learners)));
    }
    const most = $('most-failing');
    most.replaceChildren();
    if (s.mostFailing) {
      most.appendChild(el('span', 'check', s.mostFailing.check));
      most.appendChild(document.createTextNode(' (' + t.learnersOn(s.mostFailing.learners) + ')'));
      if (s.mostFailing.hint) most.appendChild(el('div', 'hint', s.mostFailing.hint));
    } else {
      most.textContent = t.none;
    }
    const body = document.querySelector('#learners tbody');
    const rows = [];
    for (const r of sorted(room.learners)) {
      const tr = el('tr', [r.stuck ? 'stuck' : '', r.away || r.left ? 'away' : '', r.state].join(' ').trim());
      tr.dataset.key = r.key;
      tr.appendChild(markCell(r, t));
      tr.appendChild(el('td', 'name', r.name));
      const lesson = el('td', 'lesson');
      lesson.appendChild(el('span', 'number', r.lesson + '/' + r.total));
      lesson.appendChild(document.createTextNode(' '));
      lesson.appendChild(el('span', 'title', r.title));
      lesson.appendChild(el('div', 'done', t.done(r.done, r.total)));
      tr.appendChild(lesson);
      const state = el('td', 'state ' + r.state, t[r.state] || r.state);
      if (r.failures > 0 && r.state === 'failing') state.appendChild(el('div', 'failures', t.failures(r.failures)));
      tr.appendChild(state);
      const check = el('td', 'check');
      if (r.failingCheck) check.appendChild(el('div', 'text', r.failingCheck));
      if (r.hint) check.appendChild(el('div', 'hint', r.hint));
      tr.appendChild(check);
      const time = el('td', 'time', clock(r.secondsOnLesson));
      time.dataset.seconds = r.secondsOnLesson;
      tr.appendChild(time);
      rows.push(tr);
    }
    body.replaceChildren(...rows);
    $('empty').textContent = room.learners.length === 0 ? t.empty : '';
    times();
  }

  function times() {
    const passed = (Date.now() - receivedAt) / 1000;
    for (const td of document.querySelectorAll('#learners td.time')) {
      td.textContent = clock(Number(td.dataset.seconds) + passed);
    }
  }

  function take(json) {
    room = JSON.parse(json);
    receivedAt = Date.now();
    render();
  }

  function connection(ok) {
    const c = $('connection');
    c.textContent = ok ? T[lang].live : T[lang].lost;
    c.classList.toggle('lost', !ok);
  }

  for (const b of document.querySelectorAll('button[data-sort]')) {
    b.addEventListener('click', () => { sortBy = b.dataset.sort; render(); });
  }
  $('lang-switch').addEventListener('click', () => {
    lang = lang === 'ja' ? 'en' : 'ja';
    localStorage.setItem('packlab-classroom-lang', lang);
    render();
    connection(!$('connection').classList.contains('lost'));
  });
  labels();
  fetch(base + 'room.json', { cache: 'no-store' }).then((r) => r.text()).then(take).catch(() => {});
  const events = new EventSource(base + 'events');
  events.addEventListener('room', (e) => { connection(true); take(e.data); });
  events.addEventListener('open', () => connection(true));
  events.addEventListener('error', () => connection(false));
  setInterval(times, 1000);
})();
