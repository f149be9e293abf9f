// The newer wording's Yes/No drawn as two radios (config.choice "radiogroup" or
// "fieldset"): an object that stands for a switch's input (checked, disabled,
// replaceWith), its `node` the group drawn; `changed(it)` on each choice made. Until a
// radio is selected (a group drawn before the answer), neither is. Loaded before
// setting_app.js, which uses it.
"use strict";
// `make(tag, className, text)` and `freshId(prefix)` are setting_app.js's own helpers.
function yesNoChoice(slot, config, { make, freshId }, changed) {
  const inFieldset = config.choice === "fieldset";
  const group = make(inFieldset ? "fieldset" : "div", "_choice_4c1e2a");
  if (inFieldset) {
    const legend = make("legend", "_choiceLegend_4c1e2a", slot.label);
    legend.id = slot.labelId;
    group.append(legend);
  } else {
    group.setAttribute("role", "radiogroup");
    group.setAttribute("aria-labelledby", slot.labelId);
  }
  const radios = {};
  const choice = {
    node: group,
    get checked() { return radios.true.checked; },
    set checked(on) { radios[on].checked = true; },
    get disabled() { return radios.true.disabled; },
    set disabled(off) { for (const radio of Object.values(radios)) radio.disabled = off; },
    replaceWith(other) { group.replaceWith(other.node); },
  };
  const name = freshId("choice-");
  // In the answer's order of values, each radio with the page's value word.
  for (const on of config.onFirst ? [true, false] : [false, true]) {
    const radio = make("input", "_choiceRadio_4c1e2a");
    radio.type = "radio";
    radio.name = name;
    radio.id = freshId("radio-");
    radio.value = on ? config.onValue : config.offValue;
    radio.addEventListener("change", () => changed(choice));
    const label = make("label", "_choiceLabel_4c1e2a", on ? config.onWord : config.offWord);
    label.htmlFor = radio.id;
    radios[on] = radio;
    group.append(radio, label);
  }
  return choice;
}
