<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Course companion</source>
        <translation>Over Cursusmaatje</translation>
    </message>
    <message>
        <source>Course companion</source>
        <translation>Cursusmaatje</translation>
    </message>
    <message>
        <source>Short video lessons about social media for your shop, with your own notes. Everything works without internet: what you do is kept on this computer and sent to your group when there is a connection.</source>
        <translation>Korte videolessen over sociale media voor je zaak, met je eigen notities. Alles werkt zonder internet: wat je doet, blijft op deze computer bewaard en gaat naar je groep zodra er verbinding is.</translation>
    </message>
    <message>
        <source>Version %1 · free software (GPL 3 or later)</source>
        <translation>Versie %1 · vrije software (GPL 3 of later)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Sluiten</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Sluiten</translation>
    </message>
</context>
<context>
    <name>AnnounceDialog</name>
    <message>
        <source>Announcement</source>
        <translation>Bericht aan de groep</translation>
    </message>
    <message>
        <source>A message to your whole group</source>
        <translation>Een bericht aan je hele groep</translation>
    </message>
    <message>
        <source>Everyone in the group sees it on their home page until they have read it. It is sent with the next sync.</source>
        <translation>Iedereen in de groep ziet het op de startpagina tot ze het gelezen hebben. Het gaat mee met de volgende synchronisatie.</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Groep</translation>
    </message>
    <message>
        <source>Your message</source>
        <translation>Je bericht</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Versturen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Write a message first.</source>
        <translation>Schrijf eerst een bericht.</translation>
    </message>
    <message>
        <source>A message has at most %1 characters.</source>
        <translation>Een bericht heeft hoogstens %1 tekens.</translation>
    </message>
    <message>
        <source>The message could not be kept. Try again.</source>
        <translation>Het bericht kon niet bewaard worden. Probeer het opnieuw.</translation>
    </message>
</context>
<context>
    <name>BellButton</name>
    <message numerus="yes">
        <source>Notifications: %n unread</source>
        <translation>
            <numerusform>Meldingen: %n ongelezen</numerusform>
            <numerusform>Meldingen: %n ongelezen</numerusform>
        </translation>
    </message>
    <message>
        <source>Notifications: nothing new</source>
        <translation>Meldingen: niets nieuws</translation>
    </message>
</context>
<context>
    <name>CommentCard</name>
    <message>
        <source>You</source>
        <translation>Jij</translation>
    </message>
    <message>
        <source>Someone</source>
        <translation>Iemand</translation>
    </message>
    <message>
        <source>trainer</source>
        <translation>trainer</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>bewerkt</translation>
    </message>
    <message>
        <source>waiting to send</source>
        <translation>wacht op verzenden</translation>
    </message>
    <message>
        <source>not sent: %1</source>
        <translation>niet verzonden: %1</translation>
    </message>
    <message>
        <source>hidden by the trainer: %1</source>
        <translation>verborgen door de trainer: %1</translation>
    </message>
    <message>
        <source>Hidden by the trainer.</source>
        <translation>Verborgen door de trainer.</translation>
    </message>
    <message>
        <source>This comment was deleted.</source>
        <translation>Deze reactie is verwijderd.</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Reageren</translation>
    </message>
    <message>
        <source>Reply to %1</source>
        <translation>Reageer op %1</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bewerken</translation>
    </message>
    <message>
        <source>Edit your comment</source>
        <translation>Je reactie bewerken</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Verwijderen</translation>
    </message>
    <message>
        <source>Useful</source>
        <translation>Nuttig</translation>
    </message>
    <message numerus="yes">
        <source>Useful: %n</source>
        <translation>
            <numerusform>Nuttig: %n</numerusform>
            <numerusform>Nuttig: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>This helped me</source>
        <translation>Hier heb ik wat aan</translation>
    </message>
    <message>
        <source>Thanks</source>
        <translation>Bedankt</translation>
    </message>
    <message numerus="yes">
        <source>Thanks: %n</source>
        <translation>
            <numerusform>Bedankt: %n</numerusform>
            <numerusform>Bedankt: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Say thank you</source>
        <translation>Zeg dank je wel</translation>
    </message>
    <message>
        <source>Delete your comment</source>
        <translation>Je reactie verwijderen</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect to your group</source>
        <translation>Verbinden met je groep</translation>
    </message>
    <message>
        <source>Then your progress, notes and comments are kept safe on your group&apos;s server and reach your other computers, and you can talk with your group. Everything keeps working without a connection.</source>
        <translation>Dan worden je voortgang, notities en reacties veilig bewaard op de server van je groep, komen ze ook op je andere computers, en kun je praten met je groep. Alles blijft werken zonder verbinding.</translation>
    </message>
    <message>
        <source>Your trainer will see your progress in the lessons, when you use the app, your quiz scores and your name, motto and photo. Never your notes.</source>
        <translation>Je trainer ziet hoe ver je bent in de lessen, wanneer je de app gebruikt, je quizscores en je naam, motto en foto. Nooit je notities.</translation>
    </message>
    <message>
        <source>I am new: I have an &amp;invite code from my trainer</source>
        <translation>Ik ben nieuw: ik heb een &amp;uitnodigingscode van mijn trainer</translation>
    </message>
    <message>
        <source>I already have an &amp;account (another computer)</source>
        <translation>Ik heb al een &amp;account (op een andere computer)</translation>
    </message>
    <message>
        <source>&amp;Server address:</source>
        <translation>&amp;Serveradres:</translation>
    </message>
    <message>
        <source>for example https://leren.example.org</source>
        <translation>bijvoorbeeld https://leren.example.org</translation>
    </message>
    <message>
        <source>In&amp;vite code:</source>
        <translation>Uit&amp;nodigingscode:</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Gebruikersnaam:</translation>
    </message>
    <message>
        <source>small letters and digits, e.g. anna.bakker</source>
        <translation>kleine letters en cijfers, bv. anna.bakker</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Wachtwoord:</translation>
    </message>
    <message>
        <source>Show the password</source>
        <translation>Toon het wachtwoord</translation>
    </message>
    <message>
        <source>Cer&amp;tificate file:</source>
        <translation>Cer&amp;tificaatbestand:</translation>
    </message>
    <message>
        <source>only if your trainer gave you one</source>
        <translation>alleen als je trainer je er een gaf</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Bladeren…</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>The server&apos;s certificate file</source>
        <translation>Het certificaatbestand van de server</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Certificaten (*.pem *.crt *.cer);;Alle bestanden (*)</translation>
    </message>
    <message>
        <source>choose one: at least 8 characters</source>
        <translation>kies er een: minstens 8 tekens</translation>
    </message>
    <message>
        <source>Fill in the server address your trainer gave you.</source>
        <translation>Vul het serveradres in dat je van je trainer kreeg.</translation>
    </message>
    <message>
        <source>Fill in the invite code your trainer gave you.</source>
        <translation>Vul de uitnodigingscode in die je van je trainer kreeg.</translation>
    </message>
    <message>
        <source>Fill in a user name.</source>
        <translation>Vul een gebruikersnaam in.</translation>
    </message>
    <message>
        <source>Fill in the password.</source>
        <translation>Vul het wachtwoord in.</translation>
    </message>
    <message>
        <source>Choose a password of at least 8 characters.</source>
        <translation>Kies een wachtwoord van minstens 8 tekens.</translation>
    </message>
    <message>
        <source>The certificate file is not there: %1</source>
        <translation>Het certificaatbestand is er niet: %1</translation>
    </message>
    <message>
        <source>Not connected: there is no safe place for the login on this computer.</source>
        <translation>Niet verbonden: er is geen veilige plaats voor de aanmelding op deze computer.</translation>
    </message>
    <message>
        <source>No safe place for the login</source>
        <translation>Geen veilige plaats voor de aanmelding</translation>
    </message>
    <message>
        <source>This computer has no password safe (keyring) that the app can use. The app can keep your login in its own folder instead. Anyone who can open that folder could then use your login.</source>
        <translation>Deze computer heeft geen wachtwoordkluis (keyring) die de app kan gebruiken. De app kan je aanmelding in haar eigen map bewaren. Wie die map kan openen, kan dan ook je aanmelding gebruiken.</translation>
    </message>
    <message>
        <source>Keep it in the app&apos;s folder</source>
        <translation>Bewaar in de map van de app</translation>
    </message>
    <message>
        <source>Don&apos;t connect</source>
        <translation>Niet verbinden</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the address and the internet connection, and try again.</source>
        <translation>De server is niet bereikbaar. Controleer het adres en de internetverbinding en probeer opnieuw.</translation>
    </message>
    <message>
        <source>The user name or the password is not right.</source>
        <translation>De gebruikersnaam of het wachtwoord klopt niet.</translation>
    </message>
    <message>
        <source>There is no safe place for the login on this computer.</source>
        <translation>Er is geen veilige plaats voor de aanmelding op deze computer.</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>Niet verbonden: %1</translation>
    </message>
    <message>
        <source>Not connected: something unexpected went wrong (%1).</source>
        <translation>Niet verbonden: er ging iets onverwachts mis (%1).</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinden…</translation>
    </message>
</context>
<context>
    <name>ControlBar</name>
    <message>
        <source>Back 10 seconds</source>
        <translation>10 seconden terug</translation>
    </message>
    <message>
        <source>Left arrow</source>
        <translation>Pijl naar links</translation>
    </message>
    <message>
        <source>Forward 10 seconds</source>
        <translation>10 seconden vooruit</translation>
    </message>
    <message>
        <source>Right arrow</source>
        <translation>Pijl naar rechts</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>Afspeelsnelheid</translation>
    </message>
    <message>
        <source>Normal (1×)</source>
        <translation>Normaal (1×)</translation>
    </message>
    <message>
        <source>Position in the video: click or drag to jump</source>
        <translation>Plaats in de video: klik of sleep om te springen</translation>
    </message>
    <message>
        <source>Position in the video</source>
        <translation>Plaats in de video</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>Volume</translation>
    </message>
    <message>
        <source>Time played and length</source>
        <translation>Bekeken tijd en lengte</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pauzeren</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Spatiebalk</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Afspelen</translation>
    </message>
    <message>
        <source>Sound on</source>
        <translation>Geluid aan</translation>
    </message>
    <message>
        <source>Sound off</source>
        <translation>Geluid uit</translation>
    </message>
    <message>
        <source>No subtitles for this video</source>
        <translation>Geen ondertitels voor deze video</translation>
    </message>
    <message>
        <source>Hide subtitles</source>
        <translation>Ondertitels verbergen</translation>
    </message>
    <message>
        <source>Show subtitles</source>
        <translation>Ondertitels tonen</translation>
    </message>
    <message>
        <source>Subtitles</source>
        <translation>Ondertitels</translation>
    </message>
    <message>
        <source>Leave full screen</source>
        <translation>Volledig scherm verlaten</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>Volledig scherm</translation>
    </message>
</context>
<context>
    <name>CourierBar</name>
    <message>
        <source>Sent 1 change</source>
        <translation>1 wijziging verstuurd</translation>
    </message>
    <message>
        <source>Sent %1 changes</source>
        <translation>%1 wijzigingen verstuurd</translation>
    </message>
    <message>
        <source>received %1</source>
        <translation>%1 ontvangen</translation>
    </message>
    <message>
        <source>1 new pack</source>
        <translation>1 nieuw lespakket</translation>
    </message>
    <message>
        <source>%1 new packs</source>
        <translation>%1 nieuwe lespakketten</translation>
    </message>
    <message>
        <source>%1, %2 and %3.</source>
        <translation>%1, %2 en %3.</translation>
    </message>
    <message>
        <source>A stick to exchange with is here: %1</source>
        <translation>Er zit een stick om uit te wisselen in: %1</translation>
    </message>
    <message>
        <source>Exchange with this stick</source>
        <translation>Uitwisselen met deze stick</translation>
    </message>
    <message>
        <source>Deliver 1 bundle to the hub</source>
        <translation>1 pakketje naar de hub brengen</translation>
    </message>
    <message>
        <source>Deliver %1 bundles to the hub</source>
        <translation>%1 pakketjes naar de hub brengen</translation>
    </message>
    <message>
        <source>Exchanging with the stick. Leave it in until this is done.</source>
        <translation>Bezig met uitwisselen. Laat de stick erin tot dit klaar is.</translation>
    </message>
    <message>
        <source>The hub refused 1 change.</source>
        <translation>De hub weigerde 1 wijziging.</translation>
    </message>
    <message>
        <source>The hub refused %1 changes.</source>
        <translation>De hub weigerde %1 wijzigingen.</translation>
    </message>
    <message>
        <source>1 pack could not be installed yet.</source>
        <translation>1 lespakket kon nog niet geïnstalleerd worden.</translation>
    </message>
    <message>
        <source>%1 packs could not be installed yet.</source>
        <translation>%1 lespakketten konden nog niet geïnstalleerd worden.</translation>
    </message>
    <message>
        <source>The stick&apos;s answer for this PC could not be used.</source>
        <translation>Het antwoord op de stick voor deze pc kon niet gebruikt worden.</translation>
    </message>
    <message>
        <source>Trust this trainer?</source>
        <translation>Deze trainer vertrouwen?</translation>
    </message>
    <message>
        <source>Do you trust lessons from “%1”?</source>
        <translation>Vertrouw je lessen van “%1”?</translation>
    </message>
    <message>
        <source>The stick brought a lesson pack made by “%1”, but this computer does not know them yet. This is the fingerprint of their key: %2. If your trainer gave you the same fingerprint, you can trust them.</source>
        <translation>De stick bracht een lespakket van “%1”, maar deze computer kent die trainer nog niet. Dit is de vingerafdruk van de sleutel: %2. Heeft je trainer je dezelfde vingerafdruk gegeven? Dan kun je de trainer vertrouwen.</translation>
    </message>
    <message>
        <source>Delivering to the hub. Leave the stick in until this is done.</source>
        <translation>Bezig met afleveren bij de hub. Laat de stick erin tot dit klaar is.</translation>
    </message>
    <message>
        <source>Delivered 1 bundle.</source>
        <translation>1 pakketje afgeleverd.</translation>
    </message>
    <message>
        <source>Delivered %1 bundles.</source>
        <translation>%1 pakketjes afgeleverd.</translation>
    </message>
    <message>
        <source>1 bundle was refused by the hub.</source>
        <translation>1 pakketje werd door de hub geweigerd.</translation>
    </message>
    <message>
        <source>%1 bundles were refused by the hub.</source>
        <translation>%1 pakketjes werden door de hub geweigerd.</translation>
    </message>
    <message>
        <source>Something went wrong; nothing was changed.</source>
        <translation>Er ging iets mis; er is niets veranderd.</translation>
    </message>
</context>
<context>
    <name>DetailsBox</name>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Show the technical details</source>
        <translation>Toon de technische details</translation>
    </message>
    <message>
        <source>Technical details</source>
        <translation>Technische details</translation>
    </message>
</context>
<context>
    <name>DiscussionPanel</name>
    <message>
        <source>Your group and trainer read along. Written offline, it is sent once you are connected.</source>
        <translation>Je groep en je trainer lezen mee. Zonder verbinding wordt het verstuurd zodra je verbonden bent.</translation>
    </message>
    <message>
        <source>No comments yet. Ask a question or share a tip!</source>
        <translation>Nog geen reacties. Stel een vraag of deel een tip!</translation>
    </message>
    <message>
        <source>Write a comment… (Ctrl+Enter sends it)</source>
        <translation>Schrijf een reactie… (Ctrl+Enter verstuurt)</translation>
    </message>
    <message>
        <source>Your comment</source>
        <translation>Je reactie</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Discussion (%1)</source>
        <translation>Gesprek (%1)</translation>
    </message>
    <message>
        <source>Discussion</source>
        <translation>Gesprek</translation>
    </message>
    <message>
        <source>Introduction</source>
        <translation>Voorstelling</translation>
    </message>
    <message>
        <source>This person has not introduced themselves yet.</source>
        <translation>Deze persoon heeft zich nog niet voorgesteld.</translation>
    </message>
    <message>
        <source>%1 · trainer</source>
        <translation>%1 · trainer</translation>
    </message>
    <message>
        <source>Delete comment</source>
        <translation>Reactie verwijderen</translation>
    </message>
    <message>
        <source>Delete your comment? Your group will see that it was deleted.</source>
        <translation>Je reactie verwijderen? Je groep ziet dat er een reactie is verwijderd.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Verwijderen</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Laten staan</translation>
    </message>
    <message>
        <source>Write something first.</source>
        <translation>Schrijf eerst iets.</translation>
    </message>
    <message>
        <source>That is too long: at most %1 characters.</source>
        <translation>Dat is te lang: hoogstens %1 tekens.</translation>
    </message>
    <message>
        <source>You can only change your own comments.</source>
        <translation>Je kunt alleen je eigen reacties wijzigen.</translation>
    </message>
    <message>
        <source>This comment was deleted.</source>
        <translation>Deze reactie is verwijderd.</translation>
    </message>
    <message>
        <source>The comment could not be saved: %1</source>
        <translation>De reactie kon niet worden bewaard: %1</translation>
    </message>
    <message>
        <source>Changing your comment</source>
        <translation>Je reactie wijzigen</translation>
    </message>
    <message>
        <source>Save change</source>
        <translation>Wijziging bewaren</translation>
    </message>
    <message>
        <source>yourself</source>
        <translation>jezelf</translation>
    </message>
    <message>
        <source>Replying to %1</source>
        <translation>Reactie op %1</translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation>Reactie versturen</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Versturen</translation>
    </message>
</context>
<context>
    <name>DownloadQueue</name>
    <message>
        <source>The server cannot be reached right now. What is shown below may be out of date.</source>
        <extracomment>The app&apos;s one &quot;does the hub answer?&quot; (the sync controller&apos;s); what the downloads find out goes there, so the status bar and the sync know it at once.</extracomment>
        <translation>De server is nu niet bereikbaar. Wat hieronder staat, is misschien niet meer actueel.</translation>
    </message>
    <message>
        <source>The server cannot be reached right now. Try again when the connection is back.</source>
        <translation>De server is nu niet bereikbaar. Probeer opnieuw als de verbinding terug is.</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <source>%1 MB/s</source>
        <translation>%1 MB/s</translation>
    </message>
    <message>
        <source>%1 KB/s</source>
        <translation>%1 KB/s</translation>
    </message>
    <message>
        <source>working out the time left</source>
        <translation>resterende tijd wordt berekend</translation>
    </message>
    <message>
        <source>less than a minute left</source>
        <translation>nog minder dan een minuut</translation>
    </message>
    <message>
        <source>about %1 min left</source>
        <translation>nog ongeveer %1 min</translation>
    </message>
    <message>
        <source>about %1 h %2 min left</source>
        <translation>nog ongeveer %1 u %2 min</translation>
    </message>
    <message>
        <source>Waiting for the connection. The download goes on by itself when it is back; nothing is lost.</source>
        <translation>Wachten op de verbinding. De download gaat vanzelf verder zodra ze terug is; er gaat niets verloren.</translation>
    </message>
    <message>
        <source>Another download or import is busy on this computer. This one tries again in a minute.</source>
        <translation>Er loopt al een andere download of import op deze computer. Deze probeert het over een minuut opnieuw.</translation>
    </message>
    <message>
        <source>There is not enough room on this computer. Free some space, then press Resume: it goes on from where it stopped.</source>
        <translation>Er is niet genoeg plaats op deze computer. Maak wat ruimte vrij en klik dan op Verder: de download gaat verder waar hij gestopt is.</translation>
    </message>
    <message>
        <source>This pack was changed after the trainer signed it, so it is not safe. Tell your trainer.</source>
        <translation>Dit pakket is veranderd nadat de trainer het ondertekende, dus het is niet veilig. Laat het je trainer weten.</translation>
    </message>
    <message>
        <source>The server no longer accepts this computer&apos;s login. Connect again: Group › Connect to your group.</source>
        <translation>De server aanvaardt de aanmelding van deze computer niet meer. Verbind opnieuw: Groep › Verbinden met je groep.</translation>
    </message>
    <message>
        <source>The login of this computer cannot be read. Connect again: Group › Connect to your group.</source>
        <translation>De aanmelding van deze computer kan niet gelezen worden. Verbind opnieuw: Groep › Verbinden met je groep.</translation>
    </message>
    <message>
        <source>The server&apos;s copy of this pack is damaged. Tell your trainer.</source>
        <translation>De kopie van dit pakket op de server is beschadigd. Laat het je trainer weten.</translation>
    </message>
    <message>
        <source>The server no longer offers this pack.</source>
        <translation>De server biedt dit pakket niet meer aan.</translation>
    </message>
    <message>
        <source>This pack is signed by someone else than the version you have. Ask your trainer before you install it.</source>
        <translation>Dit pakket is door iemand anders ondertekend dan de versie die je hebt. Vraag het eerst aan je trainer voor je het installeert.</translation>
    </message>
    <message>
        <source>Something went wrong. Try again later; if it keeps happening, the details can help your trainer.</source>
        <translation>Er ging iets mis. Probeer later opnieuw; blijft het gebeuren, dan helpen de details je trainer verder.</translation>
    </message>
</context>
<context>
    <name>DownloadTrustDialog</name>
    <message>
        <source>Download from the server</source>
        <translation>Downloaden van de server</translation>
    </message>
    <message>
        <source>Lesson pack: %1</source>
        <translation>Lespakket: %1</translation>
    </message>
    <message>
        <source>If your trainer gave you the same fingerprint (on paper or by e-mail), you can trust them: their next packs are then downloaded without this question.</source>
        <translation>Heeft je trainer je dezelfde vingerafdruk gegeven (op papier of per e-mail)? Dan kun je de trainer vertrouwen: volgende pakketten van die trainer worden dan zonder deze vraag gedownload.</translation>
    </message>
    <message>
        <source>Nobody can tell who made it, or whether someone changed it on the way. Download it only if your trainer told you it is not signed.</source>
        <translation>Niemand kan zeggen wie het gemaakt heeft, of iemand het onderweg veranderd heeft. Download het alleen als je trainer gezegd heeft dat het niet ondertekend is.</translation>
    </message>
    <message>
        <source>&amp;Download anyway</source>
        <translation>&amp;Toch downloaden</translation>
    </message>
    <message>
        <source>&amp;Don&apos;t download</source>
        <translation>&amp;Niet downloaden</translation>
    </message>
</context>
<context>
    <name>DownloadsScreen</name>
    <message>
        <source>Downloads</source>
        <extracomment>One line for the status bar, whatever page is shown: what the downloads are doing (&quot;Downloading “Bakken” · 45%&quot;), or &quot;&quot; when there is nothing to say.</extracomment>
        <translation>Downloads</translation>
    </message>
    <message>
        <source>Check for new packs</source>
        <translation>Zoek nieuwe pakketten</translation>
    </message>
    <message>
        <source>Your trainer can send new lesson packs over the internet. Connect this computer to your group once; after that, new packs show up here and you can download them, also at night when the shop is closed.</source>
        <translation>Je trainer kan nieuwe lespakketten via het internet sturen. Verbind deze computer één keer met je groep; daarna verschijnen nieuwe pakketten hier en kun je ze downloaden, ook &apos;s nachts als de winkel dicht is.</translation>
    </message>
    <message>
        <source>Connect to your group…</source>
        <translation>Verbinden met je groep…</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Wordt gedownload</translation>
    </message>
    <message>
        <source>Offered to your group</source>
        <translation>Aangeboden aan je groep</translation>
    </message>
    <message>
        <source>Your trainer has not offered any packs yet.</source>
        <translation>Je trainer heeft nog geen pakketten aangeboden.</translation>
    </message>
    <message>
        <source>Asking the server what is new…</source>
        <translation>De server vragen wat er nieuw is…</translation>
    </message>
    <message>
        <source>Checked at %1.</source>
        <translation>Nagekeken om %1.</translation>
    </message>
    <message>
        <source>Downloading “%1” · %2%</source>
        <translation>“%1” wordt gedownload · %2%</translation>
    </message>
    <message>
        <source>Downloads wait for the connection</source>
        <translation>Downloads wachten op de verbinding</translation>
    </message>
    <message>
        <source>Downloads wait for your download hours</source>
        <translation>Downloads wachten op je downloaduren</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 tot %2</translation>
    </message>
    <message>
        <source>“%1” waits for your answer on the Downloads page.</source>
        <translation>“%1” wacht op je antwoord bij Downloads.</translation>
    </message>
    <message>
        <source>Ready: %1</source>
        <translation>Klaar: %1</translation>
    </message>
</context>
<context>
    <name>EndPanel</name>
    <message>
        <source>The video of this lesson is not on this computer yet.</source>
        <translation>De video van deze les staat nog niet op deze computer.</translation>
    </message>
    <message>
        <source>✓ Well done! This lesson is done.</source>
        <translation>✓ Goed gedaan! Deze les is klaar.</translation>
    </message>
    <message>
        <source>The video has ended.</source>
        <translation>De video is afgelopen.</translation>
    </message>
    <message>
        <source>Your quiz score: %1 of %2 right.</source>
        <translation>Je score op de quiz: %1 van %2 juist.</translation>
    </message>
    <message>
        <source>Check what you remember with a short quiz.</source>
        <translation>Kijk met een korte quiz wat je onthouden hebt.</translation>
    </message>
    <message>
        <source>That was the last lesson of this pack for now.</source>
        <translation>Dat was voorlopig de laatste les van dit pakket.</translation>
    </message>
    <message>
        <source>Take the quiz again</source>
        <translation>De quiz opnieuw doen</translation>
    </message>
    <message>
        <source>Take the quiz</source>
        <translation>De quiz doen</translation>
    </message>
    <message>
        <source>Watch again</source>
        <translation>Opnieuw bekijken</translation>
    </message>
    <message>
        <source>Back to home</source>
        <translation>Terug naar Start</translation>
    </message>
    <message>
        <source>Next lesson in %1 s: %2</source>
        <translation>Volgende les over %1 s: %2</translation>
    </message>
    <message>
        <source>Next lesson: %1</source>
        <translation>Volgende les: %1</translation>
    </message>
</context>
<context>
    <name>GroupNewsCard</name>
    <message>
        <source>What&apos;s new in your group</source>
        <translation>Nieuw in je groep</translation>
    </message>
    <message>
        <source>My group</source>
        <translation>Mijn groep</translation>
    </message>
    <message>
        <source>All notifications</source>
        <translation>Alle meldingen</translation>
    </message>
    <message numerus="yes">
        <source>%n unfinished answers</source>
        <translation>
            <numerusform>%n antwoord nog niet af</numerusform>
            <numerusform>%n antwoorden nog niet af</numerusform>
        </translation>
    </message>
    <message>
        <source>From %1</source>
        <translation>Van %1</translation>
    </message>
    <message>
        <source>Read, thank you</source>
        <translation>Gelezen, bedankt</translation>
    </message>
</context>
<context>
    <name>GroupScreen</name>
    <message>
        <source>In the group since %1</source>
        <translation>In de groep sinds %1</translation>
    </message>
    <message>
        <source>My group</source>
        <translation>Mijn groep</translation>
    </message>
    <message>
        <source>The people you learn with. Click a name in a discussion to see who wrote it.</source>
        <translation>De mensen met wie je leert. Klik in een gesprek op een naam om te zien wie het schreef.</translation>
    </message>
    <message>
        <source>Edit my introduction…</source>
        <translation>Mijn voorstelling aanpassen…</translation>
    </message>
    <message>
        <source>Could not reach your group just now: this is the list from the last time.</source>
        <translation>Je groep is nu niet bereikbaar: dit is de lijst van de vorige keer.</translation>
    </message>
    <message>
        <source>a photo</source>
        <translation>een foto</translation>
    </message>
    <message>
        <source>a motto</source>
        <translation>een motto</translation>
    </message>
    <message>
        <source>Add %1 so your group knows who you are. This is optional: you decide.</source>
        <translation>Voeg %1 toe, zodat je groep weet wie je bent. Dat hoeft niet: jij beslist.</translation>
    </message>
    <message>
        <source> and </source>
        <translation> en </translation>
    </message>
    <message>
        <source>This computer is not connected to a group yet.</source>
        <translation>Deze computer is nog niet verbonden met een groep.</translation>
    </message>
    <message>
        <source>The members show here once your group has been reached.</source>
        <translation>De groepsleden staan hier zodra je groep bereikt is.</translation>
    </message>
</context>
<context>
    <name>GroupsPage</name>
    <message>
        <source>Mon</source>
        <translation>ma</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>di</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>wo</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>do</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>vr</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>za</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>zo</translation>
    </message>
    <message>
        <source>Sessions by weekday and hour of the day, on the shop&apos;s clock</source>
        <translation>Keer per weekdag en uur, volgens de klok van de winkel</translation>
    </message>
    <message>
        <source>Highest step</source>
        <translation>Hoogste trede</translation>
    </message>
    <message>
        <source>Every step reached</source>
        <translation>Elke gehaalde trede</translation>
    </message>
    <message>
        <source>Highest step, week by week</source>
        <translation>Hoogste trede, week per week</translation>
    </message>
    <message>
        <source>Highest step by day, kept on this PC</source>
        <translation>Hoogste trede per dag, bewaard op deze pc</translation>
    </message>
    <message>
        <source>Highest step by day, kept on this PC (newest: %1)</source>
        <translation>Hoogste trede per dag, bewaard op deze pc (nieuwste: %1)</translation>
    </message>
    <message>
        <source>Sessions per week</source>
        <translation>Keer per week</translation>
    </message>
    <message>
        <source>Starts discussions</source>
        <translation>Begint gesprekken</translation>
    </message>
    <message>
        <source>Answers others</source>
        <translation>Reageert op anderen</translation>
    </message>
    <message>
        <source>Follows discussions</source>
        <translation>Volgt gesprekken</translation>
    </message>
    <message>
        <source>Has a profile</source>
        <translation>Heeft een profiel</translation>
    </message>
    <message>
        <source>Watches lessons</source>
        <translation>Kijkt lessen</translation>
    </message>
    <message>
        <source>Not active</source>
        <translation>Niet actief</translation>
    </message>
    <message>
        <source>Started “%1” a day ago, not finished</source>
        <translation>Begon gisteren aan “%1”, nog niet klaar</translation>
    </message>
    <message>
        <source>Started “%1” %2 days ago, not finished</source>
        <translation>Begon %2 dagen geleden aan “%1”, nog niet klaar</translation>
    </message>
    <message>
        <source>(and one more)</source>
        <translation>(en nog één)</translation>
    </message>
    <message>
        <source>(and %2 more)</source>
        <translation>(en nog %2)</translation>
    </message>
    <message>
        <source>Quiz of “%1” failed once</source>
        <translation>Quiz van “%1” één keer niet gehaald</translation>
    </message>
    <message>
        <source>Quiz of “%1” failed %2 times</source>
        <translation>Quiz van “%1” %2 keer niet gehaald</translation>
    </message>
    <message>
        <source>Not active yet</source>
        <translation>Nog niet actief</translation>
    </message>
    <message>
        <source>No activity for a day</source>
        <translation>Een dag niet actief</translation>
    </message>
    <message>
        <source>No activity for %2 days</source>
        <translation>Al %2 dagen niet actief</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>net nu</translation>
    </message>
    <message>
        <source>a minute ago</source>
        <translation>een minuut geleden</translation>
    </message>
    <message>
        <source>%2 minutes ago</source>
        <translation>%2 minuten geleden</translation>
    </message>
    <message>
        <source>an hour ago</source>
        <translation>een uur geleden</translation>
    </message>
    <message>
        <source>%2 hours ago</source>
        <translation>%2 uur geleden</translation>
    </message>
    <message>
        <source>%2 days ago</source>
        <translation>%2 dagen geleden</translation>
    </message>
    <message>
        <source>today</source>
        <translation>vandaag</translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>gisteren</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nooit</translation>
    </message>
    <message>
        <source>same as the period before</source>
        <translation>zoals de periode ervoor</translation>
    </message>
    <message>
        <source>%1 against the period before</source>
        <translation>%1 tegenover de periode ervoor</translation>
    </message>
    <message>
        <source>Learners</source>
        <translation>Cursisten</translation>
    </message>
    <message>
        <source>Active in the last 7 days</source>
        <translation>Actief in de laatste 7 dagen</translation>
    </message>
    <message>
        <source>Lessons finished</source>
        <translation>Lessen afgewerkt</translation>
    </message>
    <message>
        <source>Times the app was used</source>
        <translation>Keer de app gebruikt</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Naam</translation>
    </message>
    <message>
        <source>Lessons done</source>
        <translation>Lessen klaar</translation>
    </message>
    <message>
        <source>Last active</source>
        <translation>Laatst actief</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Keer</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>Minuten</translation>
    </message>
    <message>
        <source>Quizzes</source>
        <translation>Quizzen</translation>
    </message>
    <message>
        <source>Taking part</source>
        <translation>Meedoen</translation>
    </message>
    <message>
        <source>Needs help</source>
        <translation>Hulp nodig</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 van %2</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>Les</translation>
    </message>
    <message>
        <source>Viewers</source>
        <translation>Kijkers</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Afgewerkt</translation>
    </message>
    <message>
        <source>Watched (median)</source>
        <translation>Bekeken (mediaan)</translation>
    </message>
    <message>
        <source>Where viewers stop</source>
        <translation>Waar kijkers stoppen</translation>
    </message>
    <message>
        <source>Quiz answers right</source>
        <translation>Quizantwoorden juist</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>afgewerkt</translation>
    </message>
    <message>
        <source>stopped at %1 s</source>
        <translation>gestopt op %1 s</translation>
    </message>
    <message>
        <source>quiz %1/%2</source>
        <translation>quiz %1/%2</translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation>%1 minuten</translation>
    </message>
    <message>
        <source>watched a lesson</source>
        <translation>keek een les</translation>
    </message>
    <message>
        <source>Nothing to worry about.</source>
        <translation>Niets om je zorgen over te maken.</translation>
    </message>
    <message>
        <source>Asking the server…</source>
        <translation>De server vragen…</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>Lessen</translation>
    </message>
    <message>
        <source>Latest times in the app</source>
        <translation>Laatste keren in de app</translation>
    </message>
    <message>
        <source>Columns</source>
        <extracomment>The narrowest a column gets (a figure, or the start of a word and &quot;…&quot;).</extracomment>
        <translation>Kolommen</translation>
    </message>
</context>
<context>
    <name>GroupsScreen</name>
    <message>
        <source>Hidden: %1</source>
        <translation>Verborgen: %1</translation>
    </message>
    <message>
        <source>Hide this comment</source>
        <translation>Deze reactie verbergen</translation>
    </message>
    <message>
        <source>Why? The writer will read: “hidden by the trainer: …”</source>
        <translation>Waarom? De schrijver leest: “verborgen door de trainer: …”</translation>
    </message>
    <message>
        <source>Invite code: %1</source>
        <translation>Uitnodigingscode: %1</translation>
    </message>
    <message>
        <source>Make a new invite code? The old code stops working.</source>
        <translation>Een nieuwe uitnodigingscode maken? De oude code werkt dan niet meer.</translation>
    </message>
    <message>
        <source>Remove %1 from the group?</source>
        <translation>%1 uit de groep halen?</translation>
    </message>
    <message>
        <source>Split this group into %1 new groups? Each gets its own invite code; the old discussion stays readable.</source>
        <translation>Deze groep opsplitsen in %1 nieuwe groepen? Elke groep krijgt een eigen uitnodigingscode; het oude gesprek blijft leesbaar.</translation>
    </message>
    <message>
        <source>Save the CSV files in</source>
        <translation>CSV-bestanden bewaren in</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>Bewaard: %1</translation>
    </message>
    <message>
        <source>Save the picture</source>
        <translation>Afbeelding bewaren</translation>
    </message>
    <message>
        <source>Pictures (*.png)</source>
        <translation>Afbeeldingen (*.png)</translation>
    </message>
    <message>
        <source>The picture could not be saved.</source>
        <translation>De afbeelding kon niet bewaard worden.</translation>
    </message>
    <message>
        <source>My groups</source>
        <translation>Mijn groepen</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Vernieuwen</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 dagen</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Overzicht</translation>
    </message>
    <message>
        <source>Learners</source>
        <translation>Cursisten</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>Lessen</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Activiteit</translation>
    </message>
    <message>
        <source>Taking part</source>
        <translation>Meedoen</translation>
    </message>
    <message>
        <source>Discussion</source>
        <translation>Gesprek</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Leden</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Bewaren</translation>
    </message>
    <message>
        <source>Find a learner by name</source>
        <translation>Zoek een cursist op naam</translation>
    </message>
    <message>
        <source>Only who needs help</source>
        <translation>Alleen wie hulp nodig heeft</translation>
    </message>
    <message>
        <source>When your learners use the app: each square is an hour of a weekday, on the shop&apos;s own clock. The darker, the more often.</source>
        <translation>Wanneer je cursisten de app gebruiken: elk vakje is een uur op een weekdag, volgens de klok van de winkel. Hoe donkerder, hoe vaker.</translation>
    </message>
    <message>
        <source>How your learners take part. Each learner counts once at their highest step; the second bar counts every step they reached.</source>
        <translation>Hoe je cursisten meedoen. Elke cursist telt één keer mee op de hoogste trede; de tweede balk telt elke trede die ze haalden.</translation>
    </message>
    <message>
        <source>Below, week by week: each learner&apos;s highest step over the 30 days up to the end of that week.</source>
        <translation>Hieronder, week per week: de hoogste trede van elke cursist in de 30 dagen tot het einde van die week.</translation>
    </message>
    <message>
        <source>Hide…</source>
        <translation>Verbergen…</translation>
    </message>
    <message>
        <source>Show again</source>
        <translation>Weer tonen</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopiëren</translation>
    </message>
    <message>
        <source>New code…</source>
        <translation>Nieuwe code…</translation>
    </message>
    <message>
        <source>Remove from the group…</source>
        <translation>Uit de groep halen…</translation>
    </message>
    <message>
        <source>Split into groups…</source>
        <translation>Opsplitsen in groepen…</translation>
    </message>
    <message>
        <source>Save the report as files you can open in a spreadsheet, or the charts as pictures.</source>
        <translation>Bewaar het overzicht als bestanden voor een rekenblad, of de grafieken als afbeelding.</translation>
    </message>
    <message>
        <source>Save as CSV files…</source>
        <translation>Bewaren als CSV-bestanden…</translation>
    </message>
    <message>
        <source>Save the activity as a picture…</source>
        <translation>Activiteit bewaren als afbeelding…</translation>
    </message>
    <message>
        <source>Save the steps as a picture…</source>
        <translation>Treden bewaren als afbeelding…</translation>
    </message>
    <message>
        <source>Save the weeks as a picture…</source>
        <translation>Weken bewaren als afbeelding…</translation>
    </message>
    <message>
        <source>Save the steps by week as a picture…</source>
        <translation>Treden per week bewaren als afbeelding…</translation>
    </message>
    <message>
        <source>You do not train a group on the server yet.</source>
        <translation>Je bent nog geen trainer van een groep op de server.</translation>
    </message>
    <message>
        <source>Fetching the report…</source>
        <translation>Overzicht ophalen…</translation>
    </message>
    <message>
        <source>The server cannot be reached: this is the report of %1.</source>
        <translation>De server is niet bereikbaar: dit is het overzicht van %1.</translation>
    </message>
    <message>
        <source>Updated %1.</source>
        <translation>Bijgewerkt %1.</translation>
    </message>
    <message>
        <source>The server cannot be reached right now.</source>
        <translation>De server is nu niet bereikbaar.</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>Welcome! There are no lessons here yet.</source>
        <translation>Welkom! Er staan hier nog geen lessen.</translation>
    </message>
    <message>
        <source>Lessons come in a lesson pack: a file ending in .cpack that your trainer gives you, for example on a USB stick. Choose it here and the lessons appear on this page. Is this computer connected to your group? Then your trainer&apos;s packs come in under Downloads.</source>
        <translation>Lessen komen in een lespakket: een bestand dat eindigt op .cpack en dat je van je trainer krijgt, bijvoorbeeld op een USB-stick. Kies het hier en de lessen verschijnen op deze pagina. Is deze computer verbonden met je groep? Dan komen de pakketten van je trainer binnen onder Downloads.</translation>
    </message>
    <message>
        <source>Import a lesson pack…</source>
        <translation>Lespakket toevoegen…</translation>
    </message>
    <message>
        <source>Go to Downloads</source>
        <translation>Naar Downloads</translation>
    </message>
    <message>
        <source>Continue where you left off</source>
        <translation>Verder waar je gebleven was</translation>
    </message>
    <message>
        <source>How far you are in this lesson</source>
        <translation>Hoe ver je in deze les bent</translation>
    </message>
    <message>
        <source>Fits in your break</source>
        <translation>Past in je pauze</translation>
    </message>
    <message>
        <source>How much time do you have?</source>
        <translation>Hoeveel tijd heb je?</translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation>%1 minuten</translation>
    </message>
    <message>
        <source>Play all</source>
        <translation>Alles afspelen</translation>
    </message>
    <message>
        <source>Your lesson packs</source>
        <translation>Je lespakketten</translation>
    </message>
    <message>
        <source>In: %1</source>
        <translation>In: %1</translation>
    </message>
    <message>
        <source>Continue from %1</source>
        <translation>Verder vanaf %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 van %2</translation>
    </message>
    <message>
        <source>Start the lesson</source>
        <translation>De les beginnen</translation>
    </message>
    <message>
        <source>Takes %1</source>
        <translation>Duurt %1</translation>
    </message>
    <message>
        <source>Play %1</source>
        <translation>%1 afspelen</translation>
    </message>
    <message>
        <source>Together: %1</source>
        <translation>Samen: %1</translation>
    </message>
    <message>
        <source>No lesson is short enough for this break. Choose more time.</source>
        <translation>Geen enkele les is kort genoeg voor deze pauze. Kies meer tijd.</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>You have finished every lesson. Well done!</source>
        <translation>Je hebt alle lessen afgewerkt. Goed gedaan!</translation>
    </message>
</context>
<context>
    <name>HubErrors</name>
    <message>
        <source>The server no longer accepts this computer&apos;s login. Connect again: Group › Connect to your group.</source>
        <translation>De server aanvaardt de aanmelding van deze computer niet meer. Verbind opnieuw: Groep › Verbinden met je groep.</translation>
    </message>
    <message>
        <source>The user name or the password is not right.</source>
        <translation>De gebruikersnaam of het wachtwoord klopt niet.</translation>
    </message>
    <message>
        <source>Too many tries in a short time. Wait a few minutes, then try again.</source>
        <translation>Te veel pogingen in korte tijd. Wacht een paar minuten en probeer het dan opnieuw.</translation>
    </message>
    <message>
        <source>You are not allowed to do this in this group.</source>
        <translation>Dat mag je in deze groep niet doen.</translation>
    </message>
    <message>
        <source>The server does not know this (any more). It may have been removed.</source>
        <translation>De server kent dit niet (meer). Misschien is het verwijderd.</translation>
    </message>
    <message>
        <source>This invitation code is not known or no longer valid. Check it, or ask your trainer for a new one.</source>
        <translation>Deze uitnodigingscode is onbekend of niet meer geldig. Kijk hem na, of vraag je trainer om een nieuwe.</translation>
    </message>
    <message>
        <source>This user name is taken. Choose another one, or log in if it is yours.</source>
        <translation>Deze gebruikersnaam is al in gebruik. Kies een andere, of meld je aan als hij van jou is.</translation>
    </message>
    <message>
        <source>This user name cannot be used. Use letters, digits, dots or dashes.</source>
        <translation>Deze gebruikersnaam kan niet. Gebruik letters, cijfers, punten of streepjes.</translation>
    </message>
    <message>
        <source>This password is too easy to guess. Choose a longer one.</source>
        <translation>Dit wachtwoord is te makkelijk te raden. Kies een langer wachtwoord.</translation>
    </message>
    <message>
        <source>This is too large for the server.</source>
        <translation>Dit is te groot voor de server.</translation>
    </message>
    <message>
        <source>Too many changes at once for the server; they are sent in smaller parts.</source>
        <translation>Te veel wijzigingen tegelijk voor de server; ze worden in kleinere delen verstuurd.</translation>
    </message>
    <message>
        <source>Someone changed this at the same time. Look again and retry.</source>
        <translation>Iemand anders heeft dit tegelijk gewijzigd. Kijk opnieuw en probeer het nog eens.</translation>
    </message>
    <message>
        <source>The server could not accept this: something in it is not right.</source>
        <translation>De server kon dit niet aannemen: er klopt iets niet aan.</translation>
    </message>
    <message>
        <source>The server could not accept this lesson pack: its contents list is not right.</source>
        <translation>De server kon dit lespakket niet aannemen: de inhoudslijst klopt niet.</translation>
    </message>
    <message>
        <source>A file was damaged on the way to the server. Try again.</source>
        <translation>Een bestand is onderweg naar de server beschadigd. Probeer het opnieuw.</translation>
    </message>
    <message>
        <source>Some files of the lesson pack did not reach the server. Try again.</source>
        <translation>Enkele bestanden van het lespakket zijn niet bij de server aangekomen. Probeer het opnieuw.</translation>
    </message>
    <message>
        <source>The server could not read what was sent. Update the app.</source>
        <translation>De server kon niet lezen wat er verstuurd werd. Werk de app bij.</translation>
    </message>
    <message>
        <source>The server has a problem right now. It is tried again later.</source>
        <translation>De server heeft nu een probleem. Het wordt later opnieuw geprobeerd.</translation>
    </message>
    <message>
        <source>This computer does not trust the server&apos;s certificate. If your trainer gave you a certificate file, choose it under Certificate file.</source>
        <translation>Deze computer vertrouwt het certificaat van de server niet. Heeft je trainer je een certificaatbestand gegeven? Kies het dan bij Certificaatbestand.</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the internet connection.</source>
        <translation>De server is niet bereikbaar. Controleer de internetverbinding.</translation>
    </message>
    <message>
        <source>The server could not do this. Try again later; if it keeps happening, tell your trainer.</source>
        <translation>De server kon dit niet doen. Probeer het later opnieuw; blijft het gebeuren, zeg het dan tegen je trainer.</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import lessons</source>
        <translation>Lessen importeren</translation>
    </message>
    <message>
        <source>Importing lessons…</source>
        <translation>De lessen worden geïmporteerd…</translation>
    </message>
    <message>
        <source>Import progress</source>
        <translation>Voortgang van de import</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Cancel the import</source>
        <translation>De import stoppen</translation>
    </message>
    <message>
        <source>Do you trust lessons from “%1”?</source>
        <translation>Vertrouw je lessen van “%1”?</translation>
    </message>
    <message>
        <source>This lesson pack was made by “%1”, but this computer does not know them yet. Every trainer has their own key. This is the fingerprint of theirs:</source>
        <translation>Dit lespakket is gemaakt door “%1”, maar deze computer kent die trainer nog niet. Elke trainer heeft een eigen sleutel. Dit is de vingerafdruk ervan:</translation>
    </message>
    <message>
        <source>Key fingerprint %1</source>
        <translation>Vingerafdruk van de sleutel: %1</translation>
    </message>
    <message>
        <source>If your trainer gave you the same fingerprint (on paper or by e-mail), you can trust them: their next packs are then imported without this question.</source>
        <translation>Heeft je trainer je dezelfde vingerafdruk gegeven (op papier of per e-mail)? Dan kun je de trainer vertrouwen: volgende pakketten van die trainer worden dan zonder deze vraag geïmporteerd.</translation>
    </message>
    <message>
        <source>&amp;Yes, trust %1</source>
        <translation>&amp;Ja, vertrouw %1</translation>
    </message>
    <message>
        <source>&amp;Only this pack</source>
        <translation>Alleen &amp;dit pakket</translation>
    </message>
    <message>
        <source>This lesson pack is not signed</source>
        <translation>Dit lespakket is niet ondertekend</translation>
    </message>
    <message>
        <source>Nobody can tell who made it, or whether someone changed it on the way. Import it only if you know where it comes from, for example from your trainer&apos;s own USB stick.</source>
        <translation>Niemand kan zeggen wie het gemaakt heeft, of dat iemand het onderweg veranderd heeft. Importeer het alleen als je weet waar het vandaan komt, bijvoorbeeld van de eigen USB-stick van je trainer.</translation>
    </message>
    <message>
        <source>&amp;Import anyway</source>
        <translation>Toch &amp;importeren</translation>
    </message>
    <message>
        <source>&amp;Don&apos;t import</source>
        <translation>&amp;Niet importeren</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Sluiten</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Sluiten</translation>
    </message>
    <message>
        <source>Pack %1 of %2: %3</source>
        <translation>Pakket %1 van %2: %3</translation>
    </message>
    <message>
        <source>Done!</source>
        <translation>Klaar!</translation>
    </message>
    <message>
        <source>The lessons were not imported</source>
        <translation>De lessen zijn niet geïmporteerd</translation>
    </message>
    <message>
        <source>Import finished</source>
        <translation>Import afgerond</translation>
    </message>
</context>
<context>
    <name>ImportFlow</name>
    <message>
        <source>The import was stopped. Nothing was changed.</source>
        <translation>De import is gestopt. Er is niets veranderd.</translation>
    </message>
    <message>
        <source>This file is damaged or is not a lesson pack. Copy it again from the USB stick, or ask your trainer for a new copy.</source>
        <translation>Dit bestand is beschadigd of is geen lespakket. Kopieer het opnieuw van de USB-stick, of vraag je trainer om een nieuwe kopie.</translation>
    </message>
    <message>
        <source>This lesson pack was changed after the trainer signed it, so it is not safe to import. Ask your trainer for a new copy.</source>
        <translation>Dit lespakket is veranderd nadat de trainer het ondertekend heeft. Daarom is importeren niet veilig. Vraag je trainer om een nieuwe kopie.</translation>
    </message>
    <message>
        <source>The file could not be found. Is the USB stick still in the computer?</source>
        <translation>Het bestand is niet gevonden. Zit de USB-stick nog in de computer?</translation>
    </message>
    <message>
        <source>There are no lesson packs in this folder. A lesson pack is a file whose name ends in .cpack.</source>
        <translation>In deze map zitten geen lespakketten. Een lespakket is een bestand waarvan de naam eindigt op .cpack.</translation>
    </message>
    <message>
        <source>There is not enough room on this computer, or the lessons cannot be saved there. Free some space and try again.</source>
        <translation>Er is niet genoeg plaats op deze computer, of de lessen kunnen er niet bewaard worden. Maak wat plaats vrij en probeer opnieuw.</translation>
    </message>
    <message>
        <source>Another import is still busy. Wait until it is done and try again.</source>
        <translation>Er loopt nog een andere import. Wacht tot die klaar is en probeer opnieuw.</translation>
    </message>
    <message>
        <source>The file could not be read. Is the USB stick still in the computer? Try again.</source>
        <translation>Het bestand kon niet gelezen worden. Zit de USB-stick nog in de computer? Probeer opnieuw.</translation>
    </message>
    <message>
        <source>Something went wrong while importing. The details below can help your trainer.</source>
        <translation>Er ging iets mis bij het importeren. De details hieronder kunnen je trainer helpen.</translation>
    </message>
    <message>
        <source>“%1” is ready, with one lesson.</source>
        <translation>“%1” staat klaar, met één les.</translation>
    </message>
    <message>
        <source>“%1” is ready, with %2 lessons.</source>
        <translation>“%1” staat klaar, met %2 lessen.</translation>
    </message>
    <message>
        <source>“%1” was updated to version %2.</source>
        <translation>“%1” is bijgewerkt naar versie %2.</translation>
    </message>
    <message>
        <source>“%1” was already on this computer. Nothing changed.</source>
        <translation>“%1” stond al op deze computer. Er is niets veranderd.</translation>
    </message>
    <message>
        <source>A newer version of “%1” is already on this computer. Nothing changed.</source>
        <translation>Er staat al een nieuwere versie van “%1” op deze computer. Er is niets veranderd.</translation>
    </message>
</context>
<context>
    <name>LessonScreen</name>
    <message>
        <source>Insert time (Ctrl+T)</source>
        <translation>Tijd invoegen (Ctrl+T)</translation>
    </message>
    <message>
        <source>Insert the current video time in your notes</source>
        <translation>Het huidige tijdstip van de video in je notities zetten</translation>
    </message>
    <message>
        <source>Type your notes here. They are kept automatically.
Press “Insert time” to mark the moment in the video; click a time to jump back to it.</source>
        <translation>Typ hier je notities. Ze worden vanzelf bewaard.
Druk op “Tijd invoegen” om het moment in de video aan te duiden; klik op een tijd om ernaar terug te springen.</translation>
    </message>
    <message>
        <source>My notes for this lesson</source>
        <translation>Mijn notities bij deze les</translation>
    </message>
    <message>
        <source>Only you can see your notes.</source>
        <translation>Alleen jij ziet je notities.</translation>
    </message>
    <message>
        <source>✓ Saved</source>
        <translation>✓ Bewaard</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Bezig met bewaren…</translation>
    </message>
    <message>
        <source>Not saved yet: trying again</source>
        <translation>Nog niet bewaard: we proberen het opnieuw</translation>
    </message>
    <message>
        <source>The trainer&apos;s notes for this lesson</source>
        <translation>De notities van de trainer bij deze les</translation>
    </message>
    <message>
        <source>The trainer has no notes for this lesson.</source>
        <translation>De trainer heeft geen notities bij deze les.</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notities</translation>
    </message>
    <message>
        <source>Trainer</source>
        <translation>Trainer</translation>
    </message>
    <message>
        <source>The group&apos;s discussion of this lesson</source>
        <translation>Het gesprek van de groep over deze les</translation>
    </message>
    <message>
        <source>%1 · lesson %2 of %3</source>
        <translation>%1 · les %2 van %3</translation>
    </message>
</context>
<context>
    <name>LibraryModel</name>
    <message>
        <source>%1 of %2 lessons done</source>
        <translation>%1 van %2 lessen klaar</translation>
    </message>
    <message>
        <source>✓ Done</source>
        <translation>✓ Klaar</translation>
    </message>
    <message>
        <source>In progress: %1% (at %2)</source>
        <translation>Bezig: %1% (op %2)</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Nog niet begonnen</translation>
    </message>
    <message>
        <source>Quiz: %1 of %2 right</source>
        <translation>Quiz: %1 van %2 juist</translation>
    </message>
</context>
<context>
    <name>LibraryScreen</name>
    <message>
        <source>Library</source>
        <translation>Bibliotheek</translation>
    </message>
    <message>
        <source>Choose a lesson and press Play (or double-click it, or press Enter).</source>
        <translation>Kies een les en druk op Afspelen (of dubbelklik erop, of druk op Enter).</translation>
    </message>
    <message>
        <source>There are no lessons yet. Import a lesson pack from your trainer to start.</source>
        <translation>Er zijn nog geen lessen. Importeer een lespakket van je trainer om te beginnen.</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>Lessen</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Afspelen</translation>
    </message>
    <message>
        <source>Play the chosen lesson</source>
        <translation>De gekozen les afspelen</translation>
    </message>
    <message>
        <source>Import a lesson pack…</source>
        <translation>Een lespakket importeren…</translation>
    </message>
    <message>
        <source>Show lessons in every language</source>
        <translation>Lessen in alle talen tonen</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Import a lesson pack</source>
        <extracomment>(key, class) of the screens, in the order of the navigation where they are listed. Imported, not looked up by name: a screen that cannot be built stops the start with its traceback.</extracomment>
        <translation>Een lespakket importeren</translation>
    </message>
    <message>
        <source>Lesson packs (*.cpack)</source>
        <translation>Lespakketten (*.cpack)</translation>
    </message>
    <message>
        <source>Show the downloads</source>
        <translation>Naar de downloads</translation>
    </message>
    <message>
        <source>Course companion</source>
        <translation>Cursusmaatje</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Bibliotheek</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Zoeken</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Downloads</translation>
    </message>
    <message>
        <source>My notes</source>
        <translation>Mijn notities</translation>
    </message>
    <message>
        <source>My groups</source>
        <translation>Mijn groepen</translation>
    </message>
    <message>
        <source>Go to</source>
        <translation>Ga naar</translation>
    </message>
    <message>
        <source>Sync state</source>
        <translation>Stand van de synchronisatie</translation>
    </message>
    <message>
        <source>Show the names</source>
        <translation>Toon de namen</translation>
    </message>
    <message>
        <source>Only the icons</source>
        <translation>Alleen de pictogrammen</translation>
    </message>
</context>
<context>
    <name>MemberCard</name>
    <message>
        <source>%1 · trainer</source>
        <translation>%1 · trainer</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (jij)</translation>
    </message>
</context>
<context>
    <name>NotesScreen</name>
    <message>
        <source>My notes</source>
        <translation>Mijn notities</translation>
    </message>
    <message>
        <source>Only you can see your notes. Click a lesson or a note to open the lesson.</source>
        <translation>Alleen jij ziet je notities. Klik op een les of een notitie om de les te openen.</translation>
    </message>
    <message>
        <source>You have no notes yet. While you watch a lesson, write your notes beside the video: they are kept automatically.</source>
        <translation>Je hebt nog geen notities. Schrijf je notities naast de video terwijl je een les bekijkt: ze worden vanzelf bewaard.</translation>
    </message>
    <message>
        <source>All notes</source>
        <translation>Alle notities</translation>
    </message>
    <message>
        <source>Save my notes as a text file…</source>
        <translation>Mijn notities bewaren als tekstbestand…</translation>
    </message>
    <message>
        <source>Save all my notes in one text file</source>
        <translation>Al mijn notities bewaren in één tekstbestand</translation>
    </message>
    <message>
        <source>Save my notes</source>
        <translation>Mijn notities bewaren</translation>
    </message>
    <message>
        <source>Text files (*.md);;All files (*)</source>
        <translation>Tekstbestanden (*.md);;Alle bestanden (*)</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Bezig met bewaren…</translation>
    </message>
    <message>
        <source>Other lessons</source>
        <translation>Andere lessen</translation>
    </message>
    <message>
        <source>my-notes.md</source>
        <translation>mijn-notities.md</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>Bewaard in %1</translation>
    </message>
    <message>
        <source>Could not save the file: %1</source>
        <translation>Het bestand kon niet bewaard worden: %1</translation>
    </message>
</context>
<context>
    <name>NotificationText</name>
    <message>
        <source>Someone</source>
        <translation>Iemand</translation>
    </message>
    <message numerus="yes">
        <source>%n new replies on %1</source>
        <translation>
            <numerusform>%n nieuw antwoord bij %1</numerusform>
            <numerusform>%n nieuwe antwoorden bij %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 replied on %2</source>
        <translation>%1 antwoordde bij %2</translation>
    </message>
    <message numerus="yes">
        <source>%n new comments on %1</source>
        <translation>
            <numerusform>%n nieuwe reactie bij %1</numerusform>
            <numerusform>%n nieuwe reacties bij %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 wrote on %2</source>
        <translation>%1 schreef bij %2</translation>
    </message>
    <message>
        <source>Announcement from %1</source>
        <translation>Bericht van %1</translation>
    </message>
    <message>
        <source>New lessons for your group: %1</source>
        <translation>Nieuwe lessen voor je groep: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n new members introduced themselves</source>
        <translation>
            <numerusform>%n nieuw groepslid stelde zich voor</numerusform>
            <numerusform>%n nieuwe groepsleden stelden zich voor</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 introduced themselves</source>
        <translation>%1 stelde zich voor</translation>
    </message>
    <message numerus="yes">
        <source>%n people found your comment useful</source>
        <translation>
            <numerusform>%n persoon vond je reactie nuttig</numerusform>
            <numerusform>%n mensen vonden je reactie nuttig</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 found your comment useful</source>
        <translation>%1 vond je reactie nuttig</translation>
    </message>
</context>
<context>
    <name>NotificationsScreen</name>
    <message>
        <source>Notifications</source>
        <translation>Meldingen</translation>
    </message>
    <message>
        <source>Mark all as read</source>
        <translation>Alles gelezen</translation>
    </message>
    <message>
        <source>Nothing new. Replies to your questions, news from your trainer and new lessons show up here after a sync.</source>
        <translation>Niets nieuws. Antwoorden op je vragen, nieuws van je trainer en nieuwe lessen komen hier te staan.</translation>
    </message>
    <message>
        <source>Unread: </source>
        <translation>Ongelezen: </translation>
    </message>
</context>
<context>
    <name>NotifySettings</name>
    <message>
        <source>Notifications</source>
        <translation>Meldingen</translation>
    </message>
    <message>
        <source>&amp;Only in my breaks</source>
        <translation>&amp;Alleen in mijn pauzes</translation>
    </message>
    <message>
        <source>My breaks</source>
        <translation>Mijn pauzes</translation>
    </message>
    <message>
        <source>When the shop is busy, news from your group waits and comes together at your next break. Breaks as from-to times, for example %1.</source>
        <translation>Is het druk in de zaak? Dan wacht het nieuws uit je groep en komt het samen in je volgende pauze. Pauzes als van-tot tijden, bijvoorbeeld %1.</translation>
    </message>
    <message>
        <source>Stay in the &amp;tray when closed</source>
        <translation>In het &amp;systeemvak blijven</translation>
    </message>
    <message>
        <source>&amp;Start at login</source>
        <translation>&amp;Starten bij aanmelden</translation>
    </message>
</context>
<context>
    <name>OfferedRow</name>
    <message>
        <source>%1, still %2 to download</source>
        <translation>%1, nog %2 te downloaden</translation>
    </message>
    <message>
        <source>version %1</source>
        <translation>versie %1</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nieuw</translation>
    </message>
    <message>
        <source>Update available (you have version %1)</source>
        <translation>Nieuwe versie beschikbaar (jij hebt versie %1)</translation>
    </message>
    <message>
        <source>✓ On this computer</source>
        <translation>✓ Op deze computer</translation>
    </message>
    <message>
        <source>You have a newer version (%1)</source>
        <translation>Je hebt een nieuwere versie (%1)</translation>
    </message>
    <message>
        <source>%1 · in the download list</source>
        <translation>%1 · in de downloadlijst</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Bijwerken</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Downloaden</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>Remove PIN</source>
        <translation>PIN verwijderen</translation>
    </message>
    <message>
        <source>Remove the PIN</source>
        <translation>De PIN verwijderen</translation>
    </message>
    <message>
        <source>Anyone on this computer can then open your profile.</source>
        <translation>Dan kan iedereen op deze computer je profiel openen.</translation>
    </message>
    <message>
        <source>&amp;Remove PIN</source>
        <translation>PIN &amp;verwijderen</translation>
    </message>
    <message>
        <source>Set PIN</source>
        <translation>PIN instellen</translation>
    </message>
    <message>
        <source>Protect your profile with a PIN</source>
        <translation>Bescherm je profiel met een PIN</translation>
    </message>
    <message>
        <source>On a shared computer a PIN keeps your notes and progress to yourself. Choose 4 to 8 digits that you will remember.</source>
        <translation>Op een gedeelde computer houdt een PIN je notities en je voortgang voor jezelf. Kies 4 tot 8 cijfers die je zult onthouden.</translation>
    </message>
    <message>
        <source>&amp;Save PIN</source>
        <translation>PIN &amp;bewaren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>&amp;Current PIN</source>
        <translation>&amp;Huidige PIN</translation>
    </message>
    <message>
        <source>Current PIN</source>
        <translation>Huidige PIN</translation>
    </message>
    <message>
        <source>&amp;New PIN</source>
        <translation>&amp;Nieuwe PIN</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>Nieuwe PIN</translation>
    </message>
    <message>
        <source>&amp;Repeat the new PIN</source>
        <translation>Nieuwe PIN &amp;herhalen</translation>
    </message>
    <message>
        <source>Repeat the new PIN</source>
        <translation>Nieuwe PIN herhalen</translation>
    </message>
    <message>
        <source>The current PIN is not right.</source>
        <translation>De huidige PIN klopt niet.</translation>
    </message>
    <message>
        <source>A PIN has 4 to 8 digits.</source>
        <translation>Een PIN heeft 4 tot 8 cijfers.</translation>
    </message>
    <message>
        <source>The two PINs are not the same. Type them again.</source>
        <translation>De twee PIN&apos;s zijn niet hetzelfde. Typ ze opnieuw.</translation>
    </message>
</context>
<context>
    <name>ProblemReports</name>
    <message>
        <source>Save a problem report</source>
        <translation>Probleemrapport opslaan</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Zip-bestanden (*.zip)</translation>
    </message>
    <message>
        <source>The problem report is saved as:
%1

Give this file to your trainer. It holds no notes, comments or passwords.</source>
        <translation>Het probleemrapport staat hier:
%1

Geef dit bestand aan je trainer. Je notities, reacties en wachtwoorden staan er niet in.</translation>
    </message>
    <message>
        <source>The problem report could not be saved: %1</source>
        <translation>Het probleemrapport kon niet worden opgeslagen: %1</translation>
    </message>
    <message>
        <source>Problem report</source>
        <translation>Probleemrapport</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Welcome</source>
        <translation>Welkom</translation>
    </message>
    <message>
        <source>Welcome! Let&apos;s get you started.</source>
        <translation>Welkom! We helpen je op weg.</translation>
    </message>
    <message>
        <source>Your lessons and notes are kept on this computer, so they also work without internet. First tell us who you are. Only your name is needed.</source>
        <translation>Je lessen en notities worden op deze computer bewaard, zodat ze ook zonder internet werken. Vertel eerst wie je bent. Alleen je naam is nodig.</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Beginnen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Afsluiten</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>Nieuw profiel</translation>
    </message>
    <message>
        <source>A profile for someone else on this computer</source>
        <translation>Een profiel voor iemand anders op deze computer</translation>
    </message>
    <message>
        <source>Everyone who learns on this computer gets their own profile, with their own progress and private notes.</source>
        <translation>Iedereen die op deze computer leert, krijgt een eigen profiel, met een eigen voortgang en eigen notities.</translation>
    </message>
    <message>
        <source>&amp;Create profile</source>
        <translation>Profiel &amp;maken</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>My profile</source>
        <translation>Mijn profiel</translation>
    </message>
    <message>
        <source>Change your name, photo or life motto.</source>
        <translation>Pas je naam, foto of levensmotto aan.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Bewaren</translation>
    </message>
    <message>
        <source>This could not be saved: %1</source>
        <translation>Dit kon niet bewaard worden: %1</translation>
    </message>
</context>
<context>
    <name>ProfileForm</name>
    <message>
        <source>Please type your name.</source>
        <translation>Typ je naam.</translation>
    </message>
    <message>
        <source>That name is too long. Use at most %1 characters.</source>
        <translation>Die naam is te lang. Gebruik hoogstens %1 tekens.</translation>
    </message>
    <message>
        <source>There is already a profile called “%1”. Choose another name, for example with your last name.</source>
        <translation>Er is al een profiel met de naam “%1”. Kies een andere naam, bijvoorbeeld met je achternaam erbij.</translation>
    </message>
    <message>
        <source>Your &amp;name</source>
        <translation>Je &amp;naam</translation>
    </message>
    <message>
        <source>For example: Anna Peeters</source>
        <translation>Bijvoorbeeld: Anna Peeters</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Je naam</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Taal</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Taal</translation>
    </message>
    <message>
        <source>Same as the computer</source>
        <translation>Dezelfde als de computer</translation>
    </message>
    <message>
        <source>Your photo</source>
        <translation>Je foto</translation>
    </message>
    <message>
        <source>Choose a &amp;photo…</source>
        <translation>Een &amp;foto kiezen…</translation>
    </message>
    <message>
        <source>Choose a photo</source>
        <translation>Een foto kiezen</translation>
    </message>
    <message>
        <source>No photo</source>
        <translation>Geen foto</translation>
    </message>
    <message>
        <source>Remove the photo</source>
        <translation>De foto weghalen</translation>
    </message>
    <message>
        <source>Your life &amp;motto</source>
        <translation>Je &amp;levensmotto</translation>
    </message>
    <message>
        <source>For example: Fresh bread every day, and a smile for free</source>
        <translation>Bijvoorbeeld: Elke dag vers brood, en de glimlach krijg je erbij</translation>
    </message>
    <message>
        <source>Your life motto</source>
        <translation>Je levensmotto</translation>
    </message>
    <message>
        <source>A short line about yourself. Your photo and motto are the introduction your group will see: people talk more easily when they know who is on the other side. Both are optional, and you can change them later.</source>
        <translation>Een korte zin over jezelf. Je foto en je motto zijn de voorstelling die je groep te zien krijgt: mensen praten makkelijker als ze weten wie er aan de andere kant zit. Allebei mogen ze leeg blijven, en je kunt ze later nog aanpassen.</translation>
    </message>
    <message>
        <source>That file is not a picture this app can read. Try a JPEG or PNG photo.</source>
        <translation>Dat bestand is geen foto die deze app kan lezen. Probeer een JPEG- of PNG-foto.</translation>
    </message>
    <message>
        <source>Pictures (*.jpg *.jpeg *.png *.webp *.bmp)</source>
        <translation>Foto&apos;s (*.jpg *.jpeg *.png *.webp *.bmp)</translation>
    </message>
</context>
<context>
    <name>ProfilePickerDialog</name>
    <message>
        <source>Who is learning?</source>
        <translation>Wie leert er?</translation>
    </message>
    <message>
        <source>Who is learning now?</source>
        <translation>Wie leert er nu?</translation>
    </message>
    <message>
        <source>Profiles on this computer</source>
        <translation>Profielen op deze computer</translation>
    </message>
    <message>
        <source>&amp;PIN</source>
        <translation>&amp;PIN</translation>
    </message>
    <message>
        <source>PIN of the chosen profile</source>
        <translation>PIN van het gekozen profiel</translation>
    </message>
    <message>
        <source>4 to 8 digits</source>
        <translation>4 tot 8 cijfers</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Openen</translation>
    </message>
    <message>
        <source>&amp;New profile…</source>
        <translation>&amp;Nieuw profiel…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Afsluiten</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>That PIN is not right. Try again.</source>
        <translation>Die PIN klopt niet. Probeer opnieuw.</translation>
    </message>
</context>
<context>
    <name>PublishDialog</name>
    <message>
        <source>Publish a lesson pack</source>
        <translation>Een lespakket delen</translation>
    </message>
    <message>
        <source>No pack chosen yet.</source>
        <translation>Nog geen pakket gekozen.</translation>
    </message>
    <message>
        <source>Choose a pack…</source>
        <translation>Kies een pakket…</translation>
    </message>
    <message>
        <source>Offer it to:</source>
        <translation>Aanbieden aan:</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>Delen</translation>
    </message>
    <message>
        <source>Choose a lesson pack</source>
        <translation>Kies een lespakket</translation>
    </message>
    <message>
        <source>Lesson packs (*.cpack)</source>
        <translation>Lespakketten (*.cpack)</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Versturen…</translation>
    </message>
    <message>
        <source>Published to %1.</source>
        <translation>Gedeeld met %1.</translation>
    </message>
    <message>
        <source>Not published: %1 Publishing again sends only what is still missing.</source>
        <translation>Niet gedeeld: %1 Opnieuw delen stuurt alleen wat nog ontbreekt.</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <comment>All other platforms</comment>
        <translation>Map</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>Station</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Zoeken in:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Bestands&amp;type:</translation>
    </message>
</context>
<context>
    <name>QtBackend</name>
    <message>
        <source>The video file is missing: %1</source>
        <translation>Het videobestand ontbreekt: %1</translation>
    </message>
    <message>
        <source>This video cannot be played.</source>
        <translation>Deze video kan niet afgespeeld worden.</translation>
    </message>
</context>
<context>
    <name>QueueRow</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 van %2</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pauzeren</translation>
    </message>
    <message>
        <source>%1 · starting…</source>
        <translation>%1 · starten…</translation>
    </message>
    <message>
        <source>%1 · stopping…</source>
        <translation>%1 · stoppen…</translation>
    </message>
    <message>
        <source>Waits for its turn</source>
        <translation>Wacht op zijn beurt</translation>
    </message>
    <message>
        <source>%1 · paused. What is downloaded stays.</source>
        <translation>%1 · gepauzeerd. Wat al binnen is, blijft bewaard.</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Verder</translation>
    </message>
    <message>
        <source>Waits for your download hours (%1).</source>
        <translation>Wacht op je downloaduren (%1).</translation>
    </message>
    <message>
        <source>Start now</source>
        <translation>Nu starten</translation>
    </message>
    <message>
        <source>Try now</source>
        <translation>Nu proberen</translation>
    </message>
    <message>
        <source>Waits for your answer: do you trust the trainer who made it?</source>
        <translation>Wacht op je antwoord: vertrouw je de trainer die het gemaakt heeft?</translation>
    </message>
    <message>
        <source>Answer…</source>
        <translation>Antwoorden…</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Opnieuw proberen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Cancel the download of %1</source>
        <translation>De download van %1 annuleren</translation>
    </message>
    <message>
        <source>Download of %1</source>
        <translation>Download van %1</translation>
    </message>
</context>
<context>
    <name>QuizWidget</name>
    <message>
        <source>Quiz</source>
        <translation>Quiz</translation>
    </message>
    <message>
        <source>Next question</source>
        <translation>Volgende vraag</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Opnieuw proberen</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Klaar</translation>
    </message>
    <message>
        <source>Question %1 of %2</source>
        <translation>Vraag %1 van %2</translation>
    </message>
    <message>
        <source>Right!</source>
        <translation>Juist!</translation>
    </message>
    <message>
        <source>See your score</source>
        <translation>Bekijk je score</translation>
    </message>
    <message>
        <source>Not quite.</source>
        <translation>Niet helemaal.</translation>
    </message>
    <message>
        <source>The right answer is: %1</source>
        <translation>Het juiste antwoord is: %1</translation>
    </message>
    <message>
        <source>You got %1 of %2 right.</source>
        <translation>Je had er %1 van de %2 juist.</translation>
    </message>
    <message>
        <source>Excellent, all answers right!</source>
        <translation>Uitstekend, alle antwoorden juist!</translation>
    </message>
    <message>
        <source>Well done.</source>
        <translation>Goed gedaan.</translation>
    </message>
    <message>
        <source>Watch the lesson again and try once more: it will stick.</source>
        <translation>Bekijk de les nog eens en probeer opnieuw: zo blijft het hangen.</translation>
    </message>
    <message>
        <source>Your best so far: %1 of %2.</source>
        <translation>Je beste score tot nu toe: %1 van %2.</translation>
    </message>
</context>
<context>
    <name>ReadyRow</name>
    <message>
        <source>Ready: %1</source>
        <translation>Klaar: %1</translation>
    </message>
    <message>
        <source>Open in the library</source>
        <translation>Openen in de bibliotheek</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>Dit bericht verbergen</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Your note on this lesson</source>
        <translation>Je notitie bij deze les</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>Les</translation>
    </message>
</context>
<context>
    <name>SearchScreen</name>
    <message>
        <source>Search</source>
        <translation>Zoeken</translation>
    </message>
    <message>
        <source>Type a word, for example: Instagram</source>
        <translation>Typ een woord, bijvoorbeeld: Instagram</translation>
    </message>
    <message>
        <source>Search lessons and your notes</source>
        <translation>Zoeken in de lessen en je notities</translation>
    </message>
    <message>
        <source>Search in all lessons and in your own notes.</source>
        <translation>Zoek in alle lessen en in je eigen notities.</translation>
    </message>
    <message>
        <source>Found in lessons: %1 · in your notes: %2</source>
        <translation>Gevonden in lessen: %1 · in je notities: %2</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Zoekresultaten</translation>
    </message>
    <message>
        <source>Nothing found for “%1”. Try another word.</source>
        <translation>Niets gevonden voor “%1”. Probeer een ander woord.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Instellingen</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>T&amp;aal</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Taal</translation>
    </message>
    <message>
        <source>Same as the computer</source>
        <translation>Dezelfde als de computer</translation>
    </message>
    <message>
        <source>&amp;Text size</source>
        <translation>&amp;Tekstgrootte</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>Tekstgrootte</translation>
    </message>
    <message>
        <source>Learning times</source>
        <translation>Leermomenten</translation>
    </message>
    <message>
        <source>&amp;Keep track of when I learn</source>
        <translation>&amp;Bijhouden wanneer ik leer</translation>
    </message>
    <message>
        <source>Keep track of when I learn</source>
        <translation>Bijhouden wanneer ik leer</translation>
    </message>
    <message>
        <source>Only when you open the app and which lessons you watch, with the time of day, so your trainer can see when people like to learn. Your notes are never part of it.</source>
        <translation>Alleen wanneer je de app opent en welke lessen je bekijkt, met het uur van de dag, zodat je trainer kan zien wanneer mensen graag leren. Je notities horen daar nooit bij.</translation>
    </message>
    <message>
        <source>&amp;Video player</source>
        <translation>&amp;Videospeler</translation>
    </message>
    <message>
        <source>Video player</source>
        <translation>Videospeler</translation>
    </message>
    <message>
        <source>Automatic (recommended)</source>
        <translation>Automatisch (aangeraden)</translation>
    </message>
    <message>
        <source>VLC</source>
        <translation>VLC</translation>
    </message>
    <message>
        <source>Built-in player</source>
        <translation>Ingebouwde speler</translation>
    </message>
    <message>
        <source>Change this only when videos do not play well. It counts from the next lesson you open.</source>
        <translation>Verander dit alleen als video&apos;s niet goed afspelen. Het geldt vanaf de volgende les die je opent.</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Sluiten</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Sluiten</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Download settings</source>
        <translation>Instellingen voor downloads</translation>
    </message>
    <message>
        <source>&amp;Limit the speed to</source>
        <translation>Snelheid be&amp;perken tot</translation>
    </message>
    <message>
        <source>Speed limit in kilobytes per second</source>
        <translation>Snelheidslimiet in kilobytes per seconde</translation>
    </message>
    <message>
        <source>KB per second</source>
        <translation>KB per seconde</translation>
    </message>
    <message>
        <source>Leaves room on the shop&apos;s connection for the card terminal and the music.</source>
        <translation>Zo blijft er op de verbinding van de winkel plaats voor de betaalterminal en de muziek.</translation>
    </message>
    <message>
        <source>Only download &amp;between</source>
        <translation>Alleen downloaden &amp;tussen</translation>
    </message>
    <message>
        <source>and</source>
        <translation>en</translation>
    </message>
    <message>
        <source>Download from</source>
        <translation>Downloaden vanaf</translation>
    </message>
    <message>
        <source>Download until</source>
        <translation>Downloaden tot</translation>
    </message>
    <message>
        <source>For example after closing time. Leave the computer on: a download stops at the end and goes on the next time.</source>
        <translation>Bijvoorbeeld na sluitingstijd. Laat de computer aanstaan: een download stopt op het einde en gaat de volgende keer verder.</translation>
    </message>
    <message>
        <source>Download new packs and updates &amp;automatically</source>
        <translation>Nieuwe pakketten en updates &amp;automatisch downloaden</translation>
    </message>
    <message>
        <source>When your trainer offers something new, it is downloaded by itself (within the hours above).</source>
        <translation>Biedt je trainer iets nieuws aan, dan wordt het vanzelf gedownload (binnen de uren hierboven).</translation>
    </message>
</context>
<context>
    <name>ShellActions</name>
    <message>
        <source>&amp;Import lesson pack…</source>
        <translation>&amp;Lespakket importeren…</translation>
    </message>
    <message>
        <source>&amp;Export my notes…</source>
        <translation>Mijn notities &amp;exporteren…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Afsluiten</translation>
    </message>
    <message>
        <source>&amp;Switch profile…</source>
        <translation>Profiel &amp;wisselen…</translation>
    </message>
    <message>
        <source>&amp;New profile…</source>
        <translation>&amp;Nieuw profiel…</translation>
    </message>
    <message>
        <source>&amp;Edit my profile…</source>
        <translation>Mijn profiel &amp;aanpassen…</translation>
    </message>
    <message>
        <source>&amp;Change PIN…</source>
        <translation>&amp;PIN wijzigen…</translation>
    </message>
    <message>
        <source>Set a &amp;PIN…</source>
        <translation>Een &amp;PIN instellen…</translation>
    </message>
    <message>
        <source>&amp;Remove PIN…</source>
        <translation>PIN &amp;verwijderen…</translation>
    </message>
    <message>
        <source>&amp;Home</source>
        <translation>&amp;Start</translation>
    </message>
    <message>
        <source>&amp;Library</source>
        <translation>&amp;Bibliotheek</translation>
    </message>
    <message>
        <source>&amp;Downloads</source>
        <translation>&amp;Downloads</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Zoeken</translation>
    </message>
    <message>
        <source>&amp;My notes</source>
        <translation>&amp;Mijn notities</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Zoeken</translation>
    </message>
    <message>
        <source>Names in the side&amp;bar</source>
        <translation>Namen in de zij&amp;balk</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>&amp;Grotere tekst</translation>
    </message>
    <message>
        <source>S&amp;maller text</source>
        <translation>&amp;Kleinere tekst</translation>
    </message>
    <message>
        <source>&amp;Normal text size</source>
        <translation>&amp;Normale tekstgrootte</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Instellingen…</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Sneltoetsen</translation>
    </message>
    <message>
        <source>&amp;About Course companion</source>
        <translation>&amp;Over Cursusmaatje</translation>
    </message>
    <message>
        <source>Save a &amp;problem report…</source>
        <translation>&amp;Probleemrapport opslaan…</translation>
    </message>
    <message>
        <source>&amp;Connect to your group…</source>
        <translation>&amp;Verbinden met je groep…</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>Nu &amp;synchroniseren</translation>
    </message>
    <message>
        <source>&amp;Disconnect this computer…</source>
        <translation>Deze computer &amp;loskoppelen…</translation>
    </message>
    <message>
        <source>&amp;My group</source>
        <translation>&amp;Mijn groep</translation>
    </message>
    <message>
        <source>Post an &amp;announcement…</source>
        <translation>Een &amp;bericht aan de groep…</translation>
    </message>
    <message>
        <source>&amp;What my trainer sees…</source>
        <translation>&amp;Wat mijn trainer ziet…</translation>
    </message>
    <message>
        <source>&amp;Publish a lesson pack…</source>
        <translation>Lespakket &amp;delen…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Bestand</translation>
    </message>
    <message>
        <source>&amp;Profile</source>
        <translation>&amp;Profiel</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>Beel&amp;d</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Group</source>
        <translation>&amp;Groep</translation>
    </message>
    <message>
        <source>Connected: %1</source>
        <translation>Verbonden: %1</translation>
    </message>
    <message>
        <source>Disconnect this computer</source>
        <translation>Deze computer loskoppelen</translation>
    </message>
    <message>
        <source>Stop syncing this profile on this computer? Your notes and progress stay here; what has not been sent yet is sent when you connect again.</source>
        <translation>Stoppen met synchroniseren van dit profiel op deze computer? Je notities en voortgang blijven hier; wat nog niet verstuurd is, gaat mee als je opnieuw verbindt.</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Loskoppelen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Import a lesson pack</source>
        <translation>Een lespakket importeren</translation>
    </message>
    <message>
        <source>Search lessons and notes</source>
        <translation>Zoeken in lessen en notities</translation>
    </message>
    <message>
        <source>Go to Home</source>
        <translation>Naar Start</translation>
    </message>
    <message>
        <source>Go to Library</source>
        <translation>Naar Bibliotheek</translation>
    </message>
    <message>
        <source>Go to Search</source>
        <translation>Naar Zoeken</translation>
    </message>
    <message>
        <source>Go to My notes</source>
        <translation>Naar Mijn notities</translation>
    </message>
    <message>
        <source>Go to Downloads</source>
        <translation>Naar Downloads</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>Grotere tekst</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>Kleinere tekst</translation>
    </message>
    <message>
        <source>Normal text size</source>
        <translation>Normale tekstgrootte</translation>
    </message>
    <message>
        <source>Names in the sidebar, or only the icons</source>
        <translation>Namen in de zijbalk, of alleen de pictogrammen</translation>
    </message>
    <message>
        <source>This list of shortcuts</source>
        <translation>Deze lijst met sneltoetsen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Afsluiten</translation>
    </message>
    <message>
        <source>In a lesson: play or pause</source>
        <translation>In een les: afspelen of pauzeren</translation>
    </message>
    <message>
        <source>In a lesson: 10 seconds back or forward</source>
        <translation>In een les: 10 seconden terug of vooruit</translation>
    </message>
    <message>
        <source>In a lesson: full screen</source>
        <translation>In een les: volledig scherm</translation>
    </message>
    <message>
        <source>In a lesson: sound off or on</source>
        <translation>In een les: geluid uit of aan</translation>
    </message>
    <message>
        <source>In a lesson: subtitles on or off</source>
        <translation>In een les: ondertitels aan of uit</translation>
    </message>
    <message>
        <source>In a lesson: leave full screen</source>
        <translation>In een les: volledig scherm verlaten</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Sneltoetsen</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Toetsen</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>Wat het doet</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Sluiten</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Sluiten</translation>
    </message>
</context>
<context>
    <name>SocialController</name>
    <message>
        <source>Open</source>
        <extracomment>How often held balloons are looked at (a break may start between two syncs).</extracomment>
        <translation>Openen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Afsluiten</translation>
    </message>
    <message numerus="yes">
        <source>Course companion: %n new</source>
        <translation>
            <numerusform>Cursusmaatje: %n nieuw</numerusform>
            <numerusform>Cursusmaatje: %n nieuw</numerusform>
        </translation>
    </message>
    <message>
        <source>Course companion</source>
        <translation>Cursusmaatje</translation>
    </message>
    <message numerus="yes">
        <source>%n new from your group while you were busy</source>
        <translation>
            <numerusform>%n nieuw bericht uit je groep terwijl je bezig was</numerusform>
            <numerusform>%n nieuwe berichten uit je groep terwijl je bezig was</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>1 change waiting</source>
        <extracomment>How often the &quot;2 min ago&quot; text is redone. Whether the hub answers: fed by the sync&apos;s rounds and the downloads alike.</extracomment>
        <translation>1 wijziging wacht</translation>
    </message>
    <message>
        <source>%1 changes waiting</source>
        <translation>%1 wijzigingen wachten</translation>
    </message>
    <message>
        <source>A note</source>
        <translation>Een notitie</translation>
    </message>
    <message>
        <source>A comment</source>
        <translation>Een reactie</translation>
    </message>
    <message>
        <source>Progress on a lesson</source>
        <translation>Voortgang in een les</translation>
    </message>
    <message>
        <source>A quiz answer</source>
        <translation>Een antwoord op een quizvraag</translation>
    </message>
    <message>
        <source>Your profile</source>
        <translation>Je profiel</translation>
    </message>
    <message>
        <source>A learning session</source>
        <translation>Een leersessie</translation>
    </message>
    <message>
        <source>A change</source>
        <translation>Een wijziging</translation>
    </message>
    <message>
        <source>Not connected to a group</source>
        <translation>Niet verbonden met een groep</translation>
    </message>
    <message>
        <source>Everything is kept on this computer. To share progress and comments: Group › Connect to your group.</source>
        <translation>Alles blijft op deze computer. Om voortgang en reacties te delen: Groep › Verbinden met je groep.</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Nothing is lost: what waits is sent as soon as the connection is back.</source>
        <translation>Er gaat niets verloren: wat wacht, wordt verstuurd zodra de verbinding terug is.</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchroniseren…</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Bijgewerkt</translation>
    </message>
    <message>
        <source>Up to date · just now</source>
        <translation>Bijgewerkt · net nu</translation>
    </message>
    <message>
        <source>Up to date · %1 min ago</source>
        <translation>Bijgewerkt · %1 min geleden</translation>
    </message>
    <message>
        <source>Log in again to sync</source>
        <translation>Meld je opnieuw aan om te synchroniseren</translation>
    </message>
    <message>
        <source>The server no longer accepts this computer&apos;s login: Group › Connect to your group.</source>
        <translation>De server aanvaardt de aanmelding van deze computer niet meer: Groep › Verbinden met je groep.</translation>
    </message>
    <message>
        <source>Not synced</source>
        <translation>Niet gesynchroniseerd</translation>
    </message>
    <message>
        <source>1 change refused</source>
        <translation>1 wijziging geweigerd</translation>
    </message>
    <message>
        <source>%1 changes refused</source>
        <translation>%1 wijzigingen geweigerd</translation>
    </message>
    <message>
        <source>Refused by the server:</source>
        <translation>Geweigerd door de server:</translation>
    </message>
</context>
<context>
    <name>TrainerViewDialog</name>
    <message>
        <source>What my trainer sees</source>
        <translation>Wat mijn trainer ziet</translation>
    </message>
    <message>
        <source>Your trainer sees your progress in the lessons, when you use the app, your quiz scores and your name, motto and photo. Never your notes or unsent texts.</source>
        <translation>Je trainer ziet hoe ver je bent in de lessen, wanneer je de app gebruikt, je quizscores en je naam, motto en foto. Nooit je notities of teksten die je nog niet verstuurde.</translation>
    </message>
    <message>
        <source>Asking the server…</source>
        <translation>De server vragen…</translation>
    </message>
    <message>
        <source>You are not a learner in a group on the server.</source>
        <translation>Je bent geen cursist in een groep op de server.</translation>
    </message>
    <message>
        <source>Lessons done: %1 of %2</source>
        <translation>Lessen klaar: %1 van %2</translation>
    </message>
    <message>
        <source>Last active: %1</source>
        <translation>Laatst actief: %1</translation>
    </message>
    <message>
        <source>Times you used the app: %1 (%2 minutes)</source>
        <translation>Keer dat je de app gebruikte: %1 (%2 minuten)</translation>
    </message>
    <message>
        <source>Quizzes: %1</source>
        <translation>Quizzen: %1</translation>
    </message>
    <message>
        <source>Taking part: %1</source>
        <translation>Meedoen: %1</translation>
    </message>
    <message>
        <source>Needs help: %1</source>
        <translation>Hulp nodig: %1</translation>
    </message>
    <message>
        <source>The server cannot be reached right now: %1</source>
        <translation>De server is nu niet bereikbaar: %1</translation>
    </message>
</context>
<context>
    <name>UncaughtErrors</name>
    <message>
        <source>(no log file)</source>
        <translation>(geen logbestand)</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Er ging iets mis</translation>
    </message>
    <message>
        <source>Something went wrong in the app. You can keep working; if it happens again, save a problem report for your trainer (Help menu).</source>
        <translation>Er ging iets mis in Cursusmaatje. Je kunt gewoon verder werken. Gebeurt het nog eens? Sla dan een probleemrapport op voor je trainer (menu Help).</translation>
    </message>
    <message>
        <source>Save a problem report…</source>
        <translation>Probleemrapport opslaan…</translation>
    </message>
</context>
<context>
    <name>VlcBackend</name>
    <message>
        <source>The video file is missing: %1</source>
        <extracomment>While playback starts: how often to look, and for how long at most. Audio-only media never get a video output: counted as started this long after &quot;Playing&quot;. One libvlc instance per set of options, kept for the life of the process. Starting libvlc loads its plugin bank and threads: doing that once is quicker for every lesson opened after the first, and creating and releasing instances over and over is the least exercised (and, with libvlc 3, the least reliable) way to use the library.</extracomment>
        <translation>Het videobestand ontbreekt: %1</translation>
    </message>
    <message>
        <source>This video cannot be played.</source>
        <translation>Deze video kan niet afgespeeld worden.</translation>
    </message>
</context>
<context>
    <name>_PackRow</name>
    <message>
        <source>%1 of %2 lessons done</source>
        <translation>%1 van %2 lessen klaar</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Openen</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>%1 openen</translation>
    </message>
</context>
</TS>
