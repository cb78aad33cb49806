/*
 * qtiexport SCORM 1.2 player (the SCO). A static file, copied unchanged into
 * every package. No framework and no network access. The quiz data is read from
 * <script type="application/json" id="quiz-data"> and every piece of quiz text
 * is put into the page with textContent only: no source string ever becomes HTML.
 *
 * cmi.suspend_data, format version 2 (also in docs/scorm12.md):
 *
 *   2|<seed>|<flags>|<answers>
 *
 *   2        the format version.
 *   seed     the attempt's shuffle seed, an unsigned 32-bit integer in base 36,
 *            lowercase (at most 7 characters written, up to 11 accepted).
 *   flags    "" while the attempt is open, "s" once it has been submitted.
 *   answers  one bitstream for all questions in SOURCE order (sections in data
 *            order, questions in data order, never the shuffled order), one
 *            field per question, most significant bit first:
 *              single_choice, true_false with n choices: the smallest w with
 *                2^w > n bits holding 0 (nothing chosen) or 1 + the index of
 *                the chosen choice in source order;
 *              multiple_response with n choices: n bits, choice 0's bit first.
 *            Written 6 bits a character, most significant first, with the
 *            base64url alphabet A-Z a-z 0-9 - _ ("A" = 0); the last character
 *            is padded with zero bits. The player drops trailing "A"s; a reader
 *            takes missing characters as zero bits.
 *
 *   Example: 4 questions (single choice of 3, multiple response of 4, single
 *   choice of 5, true/false); the 3rd choice of Q1, choices 2 and 3 of Q2,
 *   nothing for Q3, "false" (2nd choice) for Q4, not submitted. Fields
 *   11 0110 000 10 -> 110110 000100 (padded) -> "2" (54) "E" (4):  "2|1x2f9k||2E"
 *
 *   Maximum length for a quiz: 2 + 11 + 1 + 1 + 1 + ceil(total field bits / 6).
 *   The Python writer refuses quizzes over 4096.
 *
 * Shuffling: rand = mulberry32(seed). First, for each section in data order with
 * shuffleQuestions, Fisher-Yates over its questions; then, for each question in
 * source order with shuffleChoices (never true_false), Fisher-Yates over the
 * choices that are not "fixed" (fixed choices keep their index). The same seed
 * and data therefore always give the same order, so a resumed attempt looks the same.
 */
(function () {
  'use strict';

  var PREVIEW_NOTICE = 'Preview mode: no learning management system was found, so results are not recorded.';
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';   // base64url, value = index
  var COMMIT_INTERVAL_MS = 30000;
  // Recording a submission: LMSCommit is tried at once, then after these waits (3 tries in all).
  var RETRY_DELAYS_MS = [2000, 5000];
  // The questions of an open attempt start with the class "q-deferred" (player.css: content-visibility: auto),
  // so that the first frame styles and lays out only the questions on screen. From the next frame on, the class
  // is taken off this many questions a frame, in page order, until every question is an ordinary part of the
  // page again (as it must be before results are shown: see Player.prototype.undefer).
  var UNDEFER_BATCH = 20;
  var launchTime = Date.now();

  /* ---------- pure helpers (also exposed for tests) ---------- */

  function mulberry32(a) {
    return function () {
      a = (a + 0x6D2B79F5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffle(arr, rand) {
    for (var i = arr.length - 1; i > 0; i--) {
      var j = Math.floor(rand() * (i + 1));
      var t = arr[i]; arr[i] = arr[j]; arr[j] = t;
    }
    return arr;
  }

  var RESPONSE_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';   // SCORM response of the i-th choice
  var TRUE_FALSE_RESPONSES = 'tf';

  // Quiz data format 2 leaves out each field of a question or choice that has its default
  // (qtiexport/targets/scorm12/data.py, docs/scorm12.md); this puts them back, so that the rest of
  // the player reads one shape. Format 1 data has every field, and keeps it.
  function withDefaults(data) {
    data.sections.forEach(function (s) {
      s.questions.forEach(function (q) {
        var responses = q.type === 'true_false' ? TRUE_FALSE_RESPONSES : RESPONSE_CHARS;
        if (q.title === undefined) q.title = null;
        if (q.weighting === undefined) q.weighting = Math.min(q.points, 100);
        if (q.scoring === undefined) q.scoring = 'all-or-nothing';
        var f = q.feedback || {};
        q.feedback = {
          correct: f.correct === undefined ? null : f.correct,
          incorrect: f.incorrect === undefined ? null : f.incorrect,
          general: f.general === undefined ? null : f.general
        };
        q.choices.forEach(function (c, i) {
          if (c.correct === undefined) c.correct = false;
          if (c.feedback === undefined) c.feedback = null;
          if (c.fixed === undefined) c.fixed = false;
          if (c.response === undefined) c.response = responses.charAt(i);
        });
      });
    });
    return data;
  }

  function range(n) {
    var a = [];
    for (var i = 0; i < n; i++) a.push(i);
    return a;
  }

  // Display orders for one attempt: {sections: [[source question index within section]], choices: [[source choice index]] (global source order)}
  function computeOrder(data, seed) {
    var rand = mulberry32(seed >>> 0);
    var sections = [], choices = [];
    data.sections.forEach(function (s) {
      var order = range(s.questions.length);
      if (data.shuffleQuestions) shuffle(order, rand);
      sections.push(order);
    });
    data.sections.forEach(function (s) {
      s.questions.forEach(function (q) {
        var order = range(q.choices.length);
        if (data.shuffleChoices && q.type !== 'true_false') {
          var free = order.filter(function (i) { return !q.choices[i].fixed; });
          var vals = shuffle(free.slice(), rand);
          free.forEach(function (pos, k) { order[pos] = vals[k]; });
        }
        choices.push(order);
      });
    });
    return { sections: sections, choices: choices };
  }

  /* suspend_data answers: one field per question in a bitstream kept as an array of 0/1 */

  // Bits of a question's field: n for multiple_response, else the smallest w with 2^w > n.
  function fieldWidth(q) {
    var n = q.choices.length, w = 0;
    if (q.type === 'multiple_response') return n;
    while ((1 << w) <= n) w++;
    return w;
  }

  // Where each question's field starts, in source order; the last entry is the total number of bits.
  function fieldOffsets(questions) {
    var at = [0];
    questions.forEach(function (q, i) { at.push(at[i] + fieldWidth(q)); });
    return at;
  }

  // Writes `chosen` (one boolean per choice) as the field at bits[at...], most significant bit first.
  function putField(bits, at, q, chosen) {
    var w = fieldWidth(q), v = chosen.indexOf(true) + 1;
    for (var i = 0; i < w; i++) {
      bits[at + i] = q.type === 'multiple_response' ? (chosen[i] ? 1 : 0) : (v >> (w - 1 - i)) & 1;
    }
  }

  // Reads the field at bits[at...] back as one boolean per choice; null for a value that names no choice.
  function getField(bits, at, q) {
    var n = q.choices.length, w = fieldWidth(q), v = 0, chosen = [], i;
    if (q.type === 'multiple_response') {
      for (i = 0; i < n; i++) chosen.push(bits[at + i] === 1);
      return chosen;
    }
    for (i = 0; i < w; i++) v = (v << 1) | bits[at + i];
    if (v > n) return null;
    for (i = 0; i < n; i++) chosen.push(i === v - 1);
    return chosen;
  }

  function answerBits(questions, answers) {
    var at = fieldOffsets(questions), bits = [];
    questions.forEach(function (q, i) { putField(bits, at[i], q, answers[i]); });
    return bits;
  }

  // 6 bits a character, zero-padded; trailing "A"s (all-zero characters) are dropped.
  function packBits(bits) {
    var s = '', end = 0;
    for (var i = 0; i < bits.length; i += 6) {
      var d = 0;
      for (var b = i; b < i + 6; b++) d = (d << 1) | (bits[b] || 0);
      s += B64.charAt(d);
      if (d) end = s.length;
    }
    return s.slice(0, end);
  }

  // The bits of `str` (at least `total`, missing characters read as zeros), or null when it is not base64url,
  // longer than ceil(total / 6), or sets a padding bit.
  function unpackBits(str, total) {
    if (!/^[A-Za-z0-9_-]*$/.test(str) || str.length > Math.ceil(total / 6)) return null;
    var bits = [];
    for (var k = 0; k < str.length; k++) {
      var d = B64.indexOf(str.charAt(k));
      for (var b = 5; b >= 0; b--) bits.push((d >> b) & 1);
    }
    if (bits.indexOf(1, total) >= 0) return null;
    while (bits.length < total) bits.push(0);
    return bits;
  }

  function suspendString(seed, submitted, bits) {
    return '2|' + (seed >>> 0).toString(36) + '|' + (submitted ? 's' : '') + '|' + packBits(bits);
  }

  // answers: per question (source order), one boolean per choice (source order).
  function encodeSuspendData(seed, submitted, answers, questions) {
    return suspendString(seed, submitted, answerBits(questions, answers));
  }

  // Returns {seed, submitted, answers} or null when the string is not valid for these questions.
  function decodeSuspendData(str, questions) {
    var parts = String(str || '').split('|');
    if (parts.length !== 4 || parts[0] !== '2') return null;
    if (!/^[0-9a-z]{1,11}$/.test(parts[1]) || !/^s?$/.test(parts[2])) return null;
    var at = fieldOffsets(questions);
    var bits = unpackBits(parts[3], at[questions.length]);
    if (!bits) return null;
    var answers = [];
    for (var i = 0; i < questions.length; i++) {
      var chosen = getField(bits, at[i], questions[i]);
      if (!chosen) return null;
      answers.push(chosen);
    }
    return { seed: parseInt(parts[1], 36) >>> 0, submitted: parts[2] === 's', answers: answers };
  }

  // Same float operations, in the same order, as the Python implementation.
  function scoreQuestion(q, chosen) {
    var i;
    if (q.type === 'multiple_response' && q.scoring === 'partial') {
      var nCorrect = 0, a = 0, b = 0;
      for (i = 0; i < q.choices.length; i++) {
        if (q.choices[i].correct) nCorrect++;
        if (chosen[i]) { if (q.choices[i].correct) a++; else b++; }
      }
      return Math.max(0, ((a - b) / nCorrect) * q.points);
    }
    for (i = 0; i < q.choices.length; i++) {
      if (!!chosen[i] !== !!q.choices[i].correct) return 0;
    }
    return q.points;
  }

  function scoreQuiz(data, questions, answers) {
    var total = 0, max = 0, scores = [];
    for (var i = 0; i < questions.length; i++) {
      var s = scoreQuestion(questions[i], answers[i]);
      scores.push(s);
      total += s;
    }
    for (i = 0; i < questions.length; i++) max += questions[i].points;
    var percent = max > 0 ? Math.floor(total * 10000 / max + 0.5) / 100 : 0;
    var hasPass = data.passingScore !== null && data.passingScore !== undefined;
    return {
      scores: scores, total: total, max: max, percent: percent,
      passed: hasPass ? percent >= data.passingScore : null
    };
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = '0' + s;
    return s;
  }

  // CMITimespan HHHH:MM:SS.SS
  function timespan(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var max = 9999 * 360000 + 359999;
    if (cs > max) cs = max;
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60;
    var s = Math.floor(cs / 100) % 60, c = cs % 100;
    return pad(h, 4) + ':' + pad(m, 2) + ':' + pad(s, 2) + '.' + pad(c, 2);
  }

  // CMITime HH:MM:SS (local time)
  function clock(t) {
    var d = new Date(t);
    return pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2);
  }

  function fmtNum(x) {
    return String(Math.round(x * 100) / 100);
  }

  function pointsText(x) {
    return fmtNum(x) + (x === 1 ? ' point' : ' points');
  }

  function paragraphs(text) {
    if (text === null || text === undefined) return [];
    return String(text).split('\n').filter(function (p) { return p.trim() !== ''; });
  }

  /* ---------- SCORM 1.2 API discovery and access ---------- */

  function isApi(o) {
    return !!o && typeof o.LMSInitialize === 'function' && typeof o.LMSSetValue === 'function';
  }

  // ADL algorithm: this window, then up the parents (max 500), every access guarded.
  function findApiFrom(win) {
    for (var tries = 0; win && tries <= 500; tries++) {
      try { if (isApi(win.API)) return win.API; } catch (e) { /* cross-origin */ }
      var parent = null;
      try { parent = win.parent; } catch (e) { parent = null; }
      if (!parent || parent === win) break;
      win = parent;
    }
    return null;
  }

  function getApi() {
    var api = findApiFrom(window);
    if (!api) {
      var opener = null;
      try { opener = window.opener; } catch (e) { opener = null; }
      if (opener) api = findApiFrom(opener);
    }
    return api;
  }

  function Lms(api) {
    this.api = api;
    this.errors = [];
    this.onError = null;
  }
  Lms.prototype.call = function (name, args) {
    try { return String(this.api[name].apply(this.api, args)); } catch (e) { return 'false'; }
  };
  Lms.prototype.fail = function (what) {
    var code = this.call('LMSGetLastError', []);
    var text = '';
    try { text = String(this.api.LMSGetErrorString(code) || ''); } catch (e) { text = ''; }
    var err = { what: what, code: code, text: text };
    this.errors.push(err);
    this.last = err;
    if (this.onError) this.onError(err);
  };
  Lms.prototype.get = function (name) {
    var v = this.call('LMSGetValue', [name]);
    return v === 'undefined' || v === 'null' ? '' : v;
  };
  Lms.prototype.set = function (name, value) {
    var ok = this.call('LMSSetValue', [name, String(value)]) === 'true';
    if (!ok) this.fail('LMSSetValue(' + name + ')');
    return ok;
  };
  ['LMSInitialize', 'LMSCommit', 'LMSFinish'].forEach(function (m) {
    Lms.prototype[m] = function () {
      var ok = this.call(m, ['']) === 'true';
      if (!ok) this.fail(m);
      return ok;
    };
  });

  function describe(err) {
    return 'error ' + err.code + (err.text ? ' (' + err.text + ')' : '') + ' in ' + err.what;
  }

  /* ---------- DOM helpers ---------- */

  function el(tag, props, children) {
    var n = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        if (k === 'text') n.textContent = props[k];
        else if (k === 'className') n.className = props[k];
        else n.setAttribute(k, props[k]);
      });
    }
    (children || []).forEach(function (c) { if (c) n.appendChild(c); });
    return n;
  }

  function paraEls(text, className, tag) {
    return paragraphs(text).map(function (p) {
      return el(tag || 'p', { text: p, className: className || '' });
    });
  }

  function appendAll(parent, nodes) {
    nodes.forEach(function (n) { parent.appendChild(n); });
    return parent;
  }

  /* ---------- the player ---------- */

  function Player(root, data) {
    var self = this;
    this.root = root;
    this.data = data;
    this.questions = [];   // flat, source order
    data.sections.forEach(function (s) {
      s.questions.forEach(function (q) { self.questions.push(q); });
    });
    this.answers = this.questions.map(function (q) {
      return q.choices.map(function () { return false; });
    });
    this.shownAt = [];
    this.changedAt = [];
    this.checked = [];
    this.views = [];
    this.submitted = false;
    this.finished = false;
    this.lms = null;
    this.lastCommit = 0;
    this.commitTimer = null;
    this.seed = 0;
    this.pendingErrors = [];
  }

  Player.prototype.start = function () {
    var self = this, data = this.data;
    var restored = null, resumed = false, readOnly = false, lmsSubmittedWithoutData = false;
    var lang = typeof data.language === 'string' && data.language ? data.language : 'en';
    document.documentElement.lang = lang;
    if (/^(ar|fa|he|ur|yi|ps|dv|ckb)(-|$)/i.test(lang)) document.documentElement.dir = 'rtl';
    if (data.title) document.title = data.title;

    var api = getApi(), initError = null;
    if (api) {
      this.lms = new Lms(api);
      if (!this.lms.LMSInitialize()) {
        initError = this.lms.last;
        this.lms = null;
      } else {
        this.lms.onError = function (err) { self.showLmsError(err); };
      }
    }

    if (this.lms) {
      var entry = this.lms.get('cmi.core.entry');
      var status = this.lms.get('cmi.core.lesson_status');
      restored = decodeSuspendData(this.lms.get('cmi.suspend_data'), this.questions);
      var doneStatus = status === 'passed' || status === 'failed' || status === 'completed';
      if (entry !== 'ab-initio' && (restored && restored.submitted || doneStatus)) {
        readOnly = true;
        if (!restored) lmsSubmittedWithoutData = true;
      } else if (entry === 'resume' && restored) {
        resumed = true;
      } else {
        restored = null;
      }
      if (!readOnly && (status === 'not attempted' || status === '')) this.lms.set('cmi.core.lesson_status', 'incomplete');
    }

    if (restored) {
      this.seed = restored.seed;
      this.answers = restored.answers;
    } else {
      this.seed = newSeed();
    }
    this.order = computeOrder(data, this.seed);
    // The suspend_data answers bitstream, kept up to date so that a change rewrites one question's field.
    this.offsets = fieldOffsets(this.questions);
    this.bits = answerBits(this.questions, this.answers);
    this.answered = this.answers.filter(function (a) { return a.indexOf(true) >= 0; }).length;

    this.deferred = !readOnly;
    this.render();
    this.pendingErrors.forEach(function (err) { self.showLmsError(err); });

    if (initError) {
      this.notices.appendChild(el('p', {
        className: 'notice notice-preview', role: 'alert',
        text: 'The learning management system could not start this attempt (' + describe(initError) +
          '). The quiz runs as a preview: your results cannot be recorded. Reload the page to try again.'
      }));
    } else if (!this.lms) this.notice(PREVIEW_NOTICE, 'notice-preview');
    if (lmsSubmittedWithoutData) {
      this.notice('You have already submitted this quiz.', 'notice-info');
      var raw = this.lms.get('cmi.core.score.raw');
      if (raw !== '') this.results.appendChild(el('p', { text: 'Recorded score: ' + raw + '%' }));
      this.main.hidden = true;
      this.actions.hidden = true;
      this.submitted = true;
    } else if (readOnly) {
      this.notice('You have already submitted this quiz. Your results are shown below; they cannot be changed.', 'notice-info');
      this.submitted = true;
      this.showResults();
    } else if (resumed && this.answeredCount() > 0) {
      this.notice('Welcome back. Your earlier answers have been restored.', 'notice-info');
    }

    if (this.lms) {
      if (!readOnly) this.lms.set('cmi.suspend_data', this.suspendData());
      this.commit();
      var onLeave = function () { self.leave(); };
      window.addEventListener('pagehide', onLeave);
      window.addEventListener('beforeunload', onLeave);
      window.addEventListener('pageshow', function (e) {
        if (e.persisted && self.finished) window.location.reload();
      });
    }
    this.updateProgress();
    this.observeQuestions();
    this.scheduleUndefer();
  };

  function newSeed() {
    try {
      var a = new Uint32Array(1);
      window.crypto.getRandomValues(a);
      return a[0];
    } catch (e) {
      return Math.floor(Math.random() * 4294967296) >>> 0;
    }
  }

  Player.prototype.suspendData = function () {
    return suspendString(this.seed, this.submitted, this.bits);
  };

  Player.prototype.notice = function (text, cls) {
    this.notices.appendChild(el('p', { text: text, className: 'notice ' + cls }));
  };

  // The LMS session already ended (the page was being left, then stayed): nothing more can be recorded.
  Player.prototype.closedNotice = function () {
    if (this.closedShown) return;
    this.closedShown = true;
    this.notice('The connection to the learning management system has been closed, so further answers are not recorded. Reload the page to continue.', 'notice-error');
  };

  Player.prototype.showLmsError = function (err) {
    if (this.saving) return;   // recording a submission: its own status says what failed
    if (!this.notices) { this.pendingErrors.push(err); return; }
    if (!this.lmsErrorEl) {
      this.lmsErrorEl = el('div', { className: 'notice notice-error', role: 'alert' });
      this.notices.appendChild(this.lmsErrorEl);
    }
    this.lmsErrorEl.textContent = 'The learning management system reported a problem (' + err.what +
      ': error ' + err.code + (err.text ? ', ' + err.text : '') + '). Some data may not have been recorded.';
  };

  Player.prototype.render = function () {
    var self = this, data = this.data, root = this.root;
    var allOne = this.questions.every(function (q) { return q.points === 1; });
    root.textContent = '';
    var header = el('header', { className: 'quiz-header' }, [el('h1', { text: data.title || 'Quiz' })]);
    appendAll(header, paraEls(data.description, 'description'));
    if (data.instructions) {
      header.appendChild(appendAll(el('div', { className: 'instructions' }), paraEls(data.instructions)));
    }
    root.appendChild(header);
    this.notices = root.appendChild(el('div', { className: 'notices' }));
    this.results = root.appendChild(el('div', {
      className: 'results', id: 'results', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true'
    }));
    // The outcome of recording a submission: a live region present from the start, filled when used.
    this.recordStatus = root.appendChild(el('div', { className: 'record-status', role: 'alert', tabindex: '-1' }));
    this.retryBtn = root.appendChild(el('button', {
      type: 'button', className: 'btn btn-secondary btn-retry', text: 'Try saving again', hidden: 'hidden'
    }));
    this.retryBtn.addEventListener('click', function () {
      self.recordStatus.focus();
      self.saveRecord();
    });
    this.announcer = root.appendChild(el('div', {
      className: 'visually-hidden', role: 'status', 'aria-live': 'polite'
    }));
    this.main = root.appendChild(el('div', { className: 'questions' }));

    this.main.addEventListener('change', function (e) {
      var m = /^q(\d+)$/.exec(e.target.name || '');
      if (m) self.onChange(Number(m[1]));
    });

    var immediate = data.showFeedback === 'immediately';
    this.templates = questionTemplates(immediate, this.deferred);
    if (immediate) {
      // "Check answer": one listener for every question's button.
      this.main.addEventListener('click', function (e) {
        var t = e.target;
        if (t.classList && t.classList.contains('btn-check')) self.check(Number(t.parentNode.parentNode.id.slice(1)));
      });
    }

    var number = 0, sourceStart = 0;
    data.sections.forEach(function (s, si) {
      var sec = el('section', { className: 'quiz-section' });
      if (s.title !== null && s.title !== undefined && s.title !== '') {
        sec.appendChild(el('h2', { text: s.title }));
      }
      if (s.instructions) sec.appendChild(appendAll(el('div', { className: 'instructions' }), paraEls(s.instructions)));
      var start = sourceStart;
      self.order.sections[si].forEach(function (qi) {
        number++;
        sec.appendChild(self.renderQuestion(start + qi, number, !allOne));
      });
      sourceStart += s.questions.length;
      self.main.appendChild(sec);
    });

    this.progressEl = el('p', { className: 'progress' });
    this.saveBtn = el('button', { type: 'button', className: 'btn btn-secondary', text: 'Save progress' });
    this.submitBtn = el('button', { type: 'button', className: 'btn btn-primary', text: 'Submit answers' });
    this.saveStatus = el('p', { className: 'save-status', role: 'status', 'aria-live': 'polite' });
    var buttons = el('div', { className: 'buttons' }, [this.lms ? this.saveBtn : null, this.submitBtn]);
    this.actions = root.appendChild(el('div', { className: 'actions' }, [this.progressEl, buttons, this.saveStatus]));
    this.saveBtn.addEventListener('click', function () { self.save(); });
    this.submitBtn.addEventListener('click', function () { self.submit(); });
    this.renderedAt = Date.now();
  };

  // Prototype subtrees of a question, made once and deep-cloned per question and per choice (cloneNode is
  // far cheaper than building each element and setting its attributes one by one).
  function questionTemplates(immediate, deferred) {
    var row = function (type) {
      return el('div', { className: 'choice-row' }, [
        el('label', { className: 'choice' }, [el('input', { type: type }), el('span', { className: 'choice-text' })]),
        el('div', { className: 'choice-feedback', hidden: 'hidden' })
      ]);
    };
    var tail = [el('div', { className: 'q-feedback', tabindex: '-1', hidden: 'hidden' })];
    if (immediate) {
      tail.push(el('button', { type: 'button', className: 'btn btn-secondary btn-check', text: 'Check answer' }));
      tail.push(el('p', { className: 'check-msg', role: 'status', 'aria-live': 'polite' }));
    }
    return {
      immediate: immediate,
      radio: row('radio'),
      checkbox: row('checkbox'),
      fieldset: el('fieldset', { className: deferred ? 'question q-deferred' : 'question' }, [el('legend', {}, [el('span', { className: 'q-label' })])]),
      body: el('div', { className: 'q-body' }, [el('div', { className: 'choices' })].concat(tail)),
      points: el('span', { className: 'q-points' }),
      prompt: el('span', { className: 'q-prompt' }),
      hint: el('p', { className: 'hint', text: 'Select all that apply.' }),
      para: el('span', { className: 'choice-para' })
    };
  }

  // A clone of template t with its text set.
  function cloneText(t, text) {
    var n = t.cloneNode(false);
    n.textContent = text;
    return n;
  }

  Player.prototype.renderQuestion = function (qi, number, showPoints) {
    var T = this.templates, q = this.questions[qi], chosen = this.answers[qi];
    var id = 'q' + qi;
    var prompt = paragraphs(q.prompt);
    var fs = T.fieldset.cloneNode(true);
    fs.id = id;
    var legend = fs.firstChild;
    legend.firstChild.textContent = q.title ? q.title : 'Question ' + number;
    if (showPoints) legend.appendChild(cloneText(T.points, ' (' + pointsText(q.points) + ')'));
    legend.appendChild(document.createTextNode(' '));
    if (prompt.length) legend.appendChild(cloneText(T.prompt, prompt[0]));
    var body = fs.appendChild(T.body.cloneNode(true));
    var list = body.firstChild;
    var described = [];
    for (var k = 1; k < prompt.length; k++) {
      body.insertBefore(el('p', { text: prompt[k], id: id + '-p' + (k - 1), className: 'q-more' }), list);
      described.push(id + '-p' + (k - 1));
    }
    var multi = q.type === 'multiple_response';
    if (multi) {
      var hint = T.hint.cloneNode(true);
      hint.id = id + '-hint';
      body.insertBefore(hint, list);
      described.push(hint.id);
    }
    if (described.length) fs.setAttribute('aria-describedby', described.join(' '));
    var view = { fs: fs, inputs: [], choiceFb: [], rows: [] };
    var rowTemplate = multi ? T.checkbox : T.radio, order = this.order.choices[qi];
    for (var n = 0; n < order.length; n++) {
      var ci = order[n], c = q.choices[ci];
      var row = rowTemplate.cloneNode(true), label = row.firstChild, input = label.firstChild, text = label.lastChild;
      input.name = id;
      input.id = id + '-c' + ci;
      input.value = String(ci);
      input.checked = !!chosen[ci];
      label.htmlFor = input.id;
      var ps = paragraphs(c.text);
      if (!ps.length) ps = [String(c.text === null || c.text === undefined ? '' : c.text)];
      for (var j = 0; j < ps.length; j++) text.appendChild(cloneText(T.para, ps[j]));
      list.appendChild(row);
      view.inputs[ci] = input;
      view.choiceFb[ci] = row.lastChild;
      view.rows[ci] = row;
    }
    view.feedback = list.nextSibling;
    if (T.immediate) {
      view.checkBtn = view.feedback.nextSibling;
      view.checkMsg = view.checkBtn.nextSibling;
    }
    this.views[qi] = view;
    return fs;
  };

  // Takes "q-deferred" off UNDEFER_BATCH questions a frame, in page order, starting with the frame after the first.
  Player.prototype.scheduleUndefer = function () {
    var self = this, raf = window.requestAnimationFrame || function (f) { return setTimeout(f, 16); };
    if (!this.deferred) return;
    this.deferredSets = this.main.querySelectorAll('.q-deferred');
    this.undeferred = 0;
    var frame = function () {
      self.undefer(self.undeferred + UNDEFER_BATCH);
      if (self.undeferred < self.deferredSets.length) raf(frame);
    };
    raf(function () { raf(frame); });
  };

  // Takes "q-deferred" off the questions up to page position `end` (all of them without an argument). Results
  // and feedback are only ever written into questions that are no longer deferred: Chromium does not update
  // the accessibility tree of a content-visibility: auto subtree that changes while it is skipped.
  Player.prototype.undefer = function (end) {
    var sets = this.deferredSets;
    if (!sets) return;
    end = Math.min(end === undefined ? sets.length : end, sets.length);
    for (; this.undeferred < end; this.undeferred++) sets[this.undeferred].classList.remove('q-deferred');
  };

  Player.prototype.observeQuestions = function () {
    var self = this;
    if (typeof IntersectionObserver !== 'function') return;
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) return;
        var qi = Number(e.target.id.slice(1));
        if (self.shownAt[qi] === undefined) self.shownAt[qi] = Date.now();
        io.unobserve(e.target);
      });
    });
    this.views.forEach(function (v) { io.observe(v.fs); });
  };

  Player.prototype.onChange = function (qi) {
    if (this.submitted || this.checked[qi]) return;
    var view = this.views[qi];
    var was = this.answers[qi].indexOf(true) >= 0;
    this.answers[qi] = this.questions[qi].choices.map(function (c, ci) { return !!view.inputs[ci].checked; });
    putField(this.bits, this.offsets[qi], this.questions[qi], this.answers[qi]);
    this.answered += (this.answers[qi].indexOf(true) >= 0) - was;
    var now = Date.now();
    if (this.shownAt[qi] === undefined) this.shownAt[qi] = this.renderedAt;
    this.changedAt[qi] = now;
    if (view.checkMsg) view.checkMsg.textContent = '';
    this.updateProgress();
    if (this.lms && this.finished) this.closedNotice();
    if (this.lms && !this.finished) {
      this.lms.set('cmi.suspend_data', this.suspendData());
      this.dirty = true;
      this.scheduleCommit();
    }
  };

  Player.prototype.answeredCount = function () {
    return this.answered;
  };

  Player.prototype.updateProgress = function () {
    this.progressEl.textContent = 'Answered: ' + this.answeredCount() + ' of ' + this.questions.length + ' questions.';
  };

  Player.prototype.commit = function () {
    if (!this.lms || this.finished) return false;
    if (this.commitTimer) { clearTimeout(this.commitTimer); this.commitTimer = null; }
    this.lastCommit = Date.now();
    this.dirty = false;
    return this.lms.LMSCommit();
  };

  Player.prototype.scheduleCommit = function () {
    var self = this;
    if (this.commitTimer) return;
    var wait = Math.max(0, this.lastCommit + COMMIT_INTERVAL_MS - Date.now());
    this.commitTimer = setTimeout(function () {
      self.commitTimer = null;
      if (self.dirty) self.commit();
    }, wait);
  };

  Player.prototype.save = function () {
    if (!this.lms || this.submitted) return;
    if (this.finished) { this.closedNotice(); return; }
    var ok = this.lms.set('cmi.suspend_data', this.suspendData()) && this.commit();
    this.saveStatus.textContent = ok ? 'Progress saved at ' + clock(Date.now()) + '.' :
      'Your progress could not be saved (' + describe(this.lms.last) + '). Your answers are still on this page; try again in a moment.';
  };

  Player.prototype.setDisabled = function (qi) {
    this.views[qi].inputs.forEach(function (i) { i.disabled = true; });
  };

  Player.prototype.check = function (qi) {
    var view = this.views[qi];
    if (this.submitted || this.checked[qi]) return;
    if (this.answers[qi].indexOf(true) < 0) {
      view.checkMsg.textContent = 'Choose an answer first.';
      return;
    }
    this.checked[qi] = true;
    this.setDisabled(qi);
    view.checkBtn.hidden = true;
    view.checkMsg.textContent = '';
    var verdict = this.reveal(qi);
    this.announcer.textContent = view.fs.querySelector('.q-label').textContent + ': ' + verdict;
    view.feedback.focus();
  };

  // Shows marking and feedback for one question; returns the verdict text.
  Player.prototype.reveal = function (qi) {
    var q = this.questions[qi], view = this.views[qi], chosen = this.answers[qi];
    var score = scoreQuestion(q, chosen);
    var correct = score === q.points;
    var verdict, cls;
    if (correct) { verdict = 'Correct'; cls = 'is-correct'; }
    else if (score > 0) { verdict = 'Partly correct: ' + fmtNum(score) + ' of ' + pointsText(q.points); cls = 'is-partial'; }
    else { verdict = chosen.indexOf(true) < 0 ? 'Not answered' : 'Incorrect'; cls = 'is-incorrect'; }
    view.fs.classList.add(cls);
    q.choices.forEach(function (c, ci) {
      if (chosen[ci]) view.rows[ci].querySelector('.choice-text').appendChild(el('span', { className: 'tag', text: 'Your answer' }));
      if (chosen[ci] && c.feedback) {
        appendAll(view.choiceFb[ci], paraEls(c.feedback));
        view.choiceFb[ci].hidden = false;
      }
    });
    var fb = view.feedback;
    fb.textContent = '';
    fb.appendChild(el('p', { className: 'verdict ' + cls, text: (correct ? '\u2713 ' : score > 0 ? '' : '\u2717 ') + verdict }));
    var f = q.feedback || {};
    appendAll(fb, paraEls(correct ? f.correct : f.incorrect));
    appendAll(fb, paraEls(f.general));
    fb.hidden = false;
    return verdict;
  };

  Player.prototype.submit = function () {
    if (this.submitted) return;
    this.submitted = true;
    this.submitBtn.disabled = true;
    var now = Date.now();
    var result = this.showResults();
    if (this.lms && !this.finished) {
      this.pending = this.recordValues(result, now);
      this.saveRecord();
    } else if (this.lms) this.closedNotice();
    this.resultsHeading.focus();
  };

  // The submission as [element, value] pairs, fixed at submit: a retry sets the same values at the same indices.
  Player.prototype.recordValues = function (result, now) {
    var self = this, out = [];
    var put = function (k, v) { out.push([k, String(v)]); };
    put('cmi.core.score.raw', result.percent);
    put('cmi.core.score.min', '0');
    put('cmi.core.score.max', '100');
    put('cmi.core.lesson_status', result.passed === null ? 'completed' : (result.passed ? 'passed' : 'failed'));
    this.questions.forEach(function (q, n) {
      var chosen = self.answers[n];
      var answered = chosen.indexOf(true) >= 0 && self.changedAt[n] !== undefined;
      var p = 'cmi.interactions.' + n + '.';
      var pick = function (pred) {
        return q.choices.filter(function (c, ci) { return pred(c, ci); })
          .map(function (c) { return c.response; }).join(',');
      };
      put(p + 'id', q.id);
      put(p + 'type', q.type === 'true_false' ? 'true-false' : 'choice');
      put(p + 'student_response', pick(function (c, ci) { return chosen[ci]; }));
      put(p + 'correct_responses.0.pattern', pick(function (c) { return c.correct; }));
      put(p + 'result', result.scores[n] === q.points ? 'correct' : 'wrong');
      put(p + 'weighting', q.weighting);
      put(p + 'latency', answered ? timespan(self.changedAt[n] - (self.shownAt[n] === undefined ? self.renderedAt : self.shownAt[n])) : timespan(0));
      put(p + 'time', clock(answered ? self.changedAt[n] : now));
    });
    put('cmi.core.exit', '');
    return out;
  };

  // Sets the whole submission record; returns the first error, or null.
  Player.prototype.setRecord = function () {
    var lms = this.lms, first = lms.errors.length;
    this.pending.concat([
      ['cmi.core.session_time', timespan(Date.now() - launchTime)],
      ['cmi.suspend_data', this.suspendData()]
    ]).forEach(function (kv) { lms.set(kv[0], kv[1]); });
    return lms.errors[first] || null;
  };

  Player.prototype.status = function (text, cls) {
    this.recordStatus.className = 'record-status notice ' + cls;
    this.recordStatus.textContent = text;
  };

  // One attempt at recording the submission: set every value, commit (retried), then finish.
  Player.prototype.saveRecord = function () {
    if (this.saving || this.finished || !this.pending) return;
    if (this.commitTimer) { clearTimeout(this.commitTimer); this.commitTimer = null; }
    this.saving = true;
    this.retryBtn.hidden = true;
    this.status('Saving your result\u2026', 'notice-info');
    this.tries = 0;
    this.setError = this.setRecord();
    this.commitRecord();
  };

  Player.prototype.commitRecord = function () {
    var self = this, lms = this.lms;
    this.retryTimer = null;
    if (this.finished) return;
    this.tries++;
    var ok = lms.LMSCommit();
    var err = this.setError || (ok ? null : lms.last);
    if (!err) {
      if (lms.LMSFinish()) {
        this.finished = true;
        this.saving = false;
        this.pending = null;
        this.status('Your result has been saved' + (this.tries > 1 ? ' (on try ' + this.tries + ').' : '.'), 'notice-ok');
        return;
      }
      err = lms.last;
    } else if (!this.setError && this.tries <= RETRY_DELAYS_MS.length) {
      var wait = RETRY_DELAYS_MS[this.tries - 1];
      this.status('Your result is not saved yet: the learning management system reported ' + describe(err) +
        '. Trying again in ' + wait / 1000 + ' seconds\u2026', 'notice-error');
      this.retryTimer = setTimeout(function () { self.commitRecord(); }, wait);
      return;
    }
    this.saving = false;
    this.status('Your result may not have been saved: the learning management system reported ' + describe(err) +
      '. Your answers are still on this page. Select \u201cTry saving again\u201d; if it keeps failing, ' +
      'tell your instructor before closing this page.', 'notice-error');
    this.retryBtn.hidden = false;
  };

  // Renders the score (and feedback per showFeedback); returns the score object.
  Player.prototype.showResults = function () {
    var self = this, data = this.data;
    var result = scoreQuiz(data, this.questions, this.answers);
    this.undefer();
    this.questions.forEach(function (q, qi) {
      self.setDisabled(qi);
      var v = self.views[qi];
      if (v.checkBtn) { v.checkBtn.hidden = true; v.checkMsg.textContent = ''; }
      if (data.showFeedback !== 'never' && !self.checked[qi]) self.reveal(qi);
    });
    this.saveBtn.hidden = true;
    this.submitBtn.disabled = true;
    this.submitBtn.textContent = 'Submitted';
    this.resultsHeading = el('h2', { text: 'Your result', tabindex: '-1' });
    var r = this.results;
    r.textContent = '';
    r.appendChild(this.resultsHeading);
    r.appendChild(el('p', {
      className: 'score',
      text: 'Score: ' + String(result.percent) + '% (' + fmtNum(result.total) + ' of ' + pointsText(result.max) + ')'
    }));
    if (result.passed !== null) {
      r.appendChild(el('p', {
        className: 'verdict ' + (result.passed ? 'is-correct' : 'is-incorrect'),
        text: (result.passed ? 'Passed' : 'Not passed') + ' (pass mark: ' + data.passingScore + '%)'
      }));
    }
    if (data.showFeedback !== 'never') {
      var nCorrect = result.scores.filter(function (s, i) { return s === self.questions[i].points; }).length;
      r.appendChild(el('p', { text: 'Questions answered correctly: ' + nCorrect + ' of ' + this.questions.length + '.' }));
    }
    if (!this.lms) r.appendChild(el('p', { className: 'muted', text: 'This result was not recorded (preview mode).' }));
    this.updateProgress();
    return result;
  };

  // Fallback when the page goes away: keep the attempt open for resuming. Never submits scores.
  Player.prototype.leave = function () {
    if (!this.lms || this.finished) return;
    if (this.retryTimer) { clearTimeout(this.retryTimer); this.retryTimer = null; }
    if (this.pending) {   // a submission not yet recorded: one last try, then end the session
      this.saving = true;
      this.setRecord();
      this.finished = true;
      this.lms.LMSCommit();
      this.lms.LMSFinish();
      return;
    }
    this.finished = true;
    if (this.commitTimer) { clearTimeout(this.commitTimer); this.commitTimer = null; }
    if (!this.submitted) this.lms.set('cmi.core.exit', 'suspend');
    this.lms.set('cmi.core.session_time', timespan(Date.now() - launchTime));
    if (!this.submitted) this.lms.set('cmi.suspend_data', this.suspendData());
    this.lms.LMSCommit();
    this.lms.LMSFinish();
  };

  function fail(root, message) {
    root.textContent = '';
    root.appendChild(el('p', { className: 'notice notice-error', role: 'alert', text: message }));
  }

  function validData(d) {
    return d && (d.format === 1 || d.format === 2) && Array.isArray(d.sections) && d.sections.every(function (s) {
      return s && Array.isArray(s.questions) && s.questions.every(function (q) {
        return q && Array.isArray(q.choices) && q.choices.length > 0 && typeof q.points === 'number';
      });
    });
  }

  function boot() {
    var root = document.getElementById('app') || document.body;
    var data;
    try {
      data = JSON.parse(document.getElementById('quiz-data').textContent);
    } catch (e) {
      fail(root, 'This quiz could not be loaded: its data is missing or damaged.');
      return;
    }
    if (!validData(data)) {
      fail(root, 'This quiz could not be loaded: its data has an unsupported format.');
      return;
    }
    var player = new Player(root, withDefaults(data));
    player.start();
  }

  window.QtiExportPlayer = Object.freeze({
    scoreQuestion: scoreQuestion,
    encodeSuspendData: encodeSuspendData,
    decodeSuspendData: decodeSuspendData,
    computeOrder: computeOrder,
    withDefaults: withDefaults,
    timespan: timespan
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
}());
