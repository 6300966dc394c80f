/* Swedish locale for plotly.js (toolbar, dates, number format), from the npm package
 * plotly.js-locales 3.7.0 (MIT, Plotly Inc.). plotly.js registers window.PlotlyLocales when it
 * loads; if it is already loaded, register directly. */
(function () {
  var locale = {
 "moduleType": "locale",
 "name": "sv",
 "dictionary": {
  "Autoscale": "Autoskala",
  "Box Select": "Välj rektangel",
  "Click to enter Colorscale title": "Klicka för att ange titel på färgskala",
  "Click to enter Component A title": "Klicka för att ange titel på komponent A",
  "Click to enter Component B title": "Klicka för att ange titel på komponent B",
  "Click to enter Component C title": "Klicka för att ange titel på komponent C",
  "Click to enter Plot title": "Klicka för att ange titel på diagram",
  "Click to enter X axis title": "Klicka för att ange titel på x-axel",
  "Click to enter Y axis title": "Klicka för att ange titel på y-axel",
  "Click to enter radial axis title": "Klicka för att ange titel på radiell axel",
  "Compare data on hover": "Jämför data när muspekaren hålls över",
  "Double-click on legend to isolate one trace": "Dubbelklicka på förklaringen för att visa endast en serie",
  "Double-click to zoom back out": "Dubbelklicka för att zooma ut igen",
  "Download plot": "Ladda ner diagram",
  "Download plot as a PNG": "Ladda ner diagram som PNG",
  "Edit in Chart Studio": "Editera i Chart Studio",
  "IE only supports svg.  Changing format to svg.": "IE stöder enbart svg. Byter format till svg.",
  "Lasso Select": "Välj lasso",
  "Orbital rotation": "Orbital rotation",
  "Pan": "Panorera",
  "Produced with Plotly.js": "Skapad med Plotly.js",
  "Reset": "Återställ",
  "Reset axes": "Återställ axlar",
  "Reset camera to default": "Återställ kamera till standard",
  "Reset camera to last save": "Återställ kamera till senast sparad",
  "Reset view": "Återställ vy",
  "Reset views": "Återställ vyer",
  "Show closest data on hover": "Visa närmaste värde när muspekaren hålls över",
  "Snapshot succeeded": "Bild skapad",
  "Sorry, there was a problem downloading your snapshot!": "Tyvärr gick något fel vid nedladdning av bild",
  "Taking snapshot - this may take a few seconds": "Skapar bild - detta kan ta några sekunder",
  "Toggle Spike Lines": "Aktivera/Inaktivera topplinjer",
  "Toggle show closest data on hover": "Aktivera/Inaktivera visa närmaste värde när muspekaren hålls över",
  "Turntable rotation": "Platt rotation",
  "Zoom": "Zooma",
  "Zoom in": "Zooma in",
  "Zoom out": "Zooma ut",
  "close:": "stängning:",
  "concentration:": "koncentration:",
  "high:": "hög:",
  "incoming flow count:": "inkommande flöde summering:",
  "kde:": "kde:",
  "lat:": "lat:",
  "lon:": "lon:",
  "low:": "låg:",
  "lower fence:": "undre gräns:",
  "max:": "max:",
  "mean ± σ:": "medel ± σ:",
  "mean:": "medel:",
  "median:": "median:",
  "min:": "min:",
  "new text": "ny text",
  "open:": "öppning:",
  "outgoing flow count:": "utgående flöde summering:",
  "q1:": "q1:",
  "q3:": "q3:",
  "source:": "källa:",
  "target:": "mål:",
  "trace": "serie",
  "upper fence:": "övre gräns:"
 },
 "format": {
  "days": [
   "Söndag",
   "Måndag",
   "Tisdag",
   "Onsdag",
   "Torsdag",
   "Fredag",
   "Lördag"
  ],
  "shortDays": [
   "Sön",
   "Mån",
   "Tis",
   "Ons",
   "Tor",
   "Fre",
   "Lör"
  ],
  "months": [
   "Januari",
   "Februari",
   "Mars",
   "April",
   "Maj",
   "Juni",
   "Juli",
   "Augusti",
   "September",
   "Oktober",
   "November",
   "December"
  ],
  "shortMonths": [
   "Jan",
   "Feb",
   "Mar",
   "Apr",
   "Maj",
   "Jun",
   "Jul",
   "Aug",
   "Sep",
   "Okt",
   "Nov",
   "Dec"
  ],
  "date": "%Y-%m-%d"
 }
};
  if (window.Plotly && window.Plotly.register) {
    window.Plotly.register(locale);
  } else {
    window.PlotlyLocales = window.PlotlyLocales || [];
    window.PlotlyLocales.push(locale);
  }
})();
