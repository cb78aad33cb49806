// Scores answers with the SCORM player's own JavaScript, for tests/property/test_properties.py.
//
// Loads qtiexport/targets/scorm12/player/player.js (or the path in argv[2]) in a `vm` context with a
// minimal fake window/document (readyState 'loading', so the player only registers its boot and
// never touches the DOM), then takes window.QtiExportPlayer.scoreQuestion, the function the
// player scores with.
//
// stdin: JSON lines, one case each; stdout: one JSON line per case, in order.
//   {"question": <player question data>, "chosen": [bool per choice, source order]}
//     -> {"score": number}
//   {"withDefaults": <quiz data as in index.html>}
//     -> the data with the defaults of format 2 filled in by the player's withDefaults
//   {"questions": [<player question data>, ...] (source order), "answers": [[bool, ...], ...],
//    "passingScore": number | null}
//     -> {"scores": [...], "total": number, "max": number, "percent": number, "passed": bool | null}
//
// The whole-quiz case sums scoreQuestion in source order as player.js scoreQuiz does. scoreQuiz is
// not exposed on window.QtiExportPlayer, so its percent and pass expressions are repeated here
// VERBATIM (`Math.floor(total * 10000 / max + 0.5) / 100`, `percent >= data.passingScore`); the
// Python test checks that player.js still contains exactly these expressions.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const here = path.dirname(fileURLToPath(import.meta.url));
const playerPath = process.argv[2] || path.join(here, '..', '..', 'qtiexport', 'targets', 'scorm12', 'player', 'player.js');

const window = {};
const document = { readyState: 'loading', addEventListener: () => {} };
vm.runInContext(readFileSync(playerPath, 'utf8'), vm.createContext({ window, document }), { filename: playerPath });
const player = window.QtiExportPlayer;
if (!player || typeof player.scoreQuestion !== 'function') {
  throw new Error('player.js did not expose window.QtiExportPlayer.scoreQuestion');
}

function scoreQuiz(questions, answers, passingScore) {
  // player.js scoreQuiz, with scoreQuestion itself from the player.
  let total = 0, max = 0;
  const scores = [];
  for (let i = 0; i < questions.length; i++) {
    const s = player.scoreQuestion(questions[i], answers[i]);
    scores.push(s);
    total += s;
  }
  for (let i = 0; i < questions.length; i++) max += questions[i].points;
  const percent = max > 0 ? Math.floor(total * 10000 / max + 0.5) / 100 : 0;
  const hasPass = passingScore !== null && passingScore !== undefined;
  return { scores, total, max, percent, passed: hasPass ? percent >= passingScore : null };
}

const input = readFileSync(0, 'utf8');
const out = [];
for (const line of input.split('\n')) {
  if (!line.trim()) continue;
  const c = JSON.parse(line);
  if (c.withDefaults) out.push(JSON.stringify(player.withDefaults(c.withDefaults)));
  else if (c.question) out.push(JSON.stringify({ score: player.scoreQuestion(c.question, c.chosen) }));
  else out.push(JSON.stringify(scoreQuiz(c.questions, c.answers, c.passingScore)));
}
process.stdout.write(out.join('\n') + '\n');
