// The report page: the server renders everything that prints; this module
// adds the scoring form of each candidate for the panel (scorecard.js) and
// a print button.

import { h } from './dom.js';
import { mountScorecard } from './scorecard.js';

const dataEl = document.querySelector('#scoring-data');
const data = dataEl ? JSON.parse(dataEl.textContent || '{}') : { candidates: [], questions: [] };

for (const section of dataEl ? document.querySelectorAll('.scoring[data-candidate-id]') : []) {
  const candidateId = Number(section.dataset.candidateId);
  const cand = data.candidates.find((c) => c.id === candidateId);
  mountScorecard(section, {
    interviewId: data.interview_id,
    candidateId,
    candidateName: cand?.name ?? '',
    questions: data.questions,
    onSubmitted: () => {
      if (section.querySelector('.sc-reveal')) return;
      // The panel's scorecards are rendered by the server: reload to see them.
      section.append(h('p', { class: 'sc-reveal' }, 'Submitted. ',
        h('button', { type: 'button', class: 'secondary small', on: { click: () => location.reload() } }, "Show the panel's scorecards")));
    },
  });
}

const hint = document.querySelector('#report > .hint.no-print');
if (hint) {
  hint.after(h('p', { class: 'no-print' }, h('button', { type: 'button', class: 'secondary', on: { click: () => window.print() } }, 'Print or save as PDF')));
}
