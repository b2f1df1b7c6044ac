package dev.meshaware.benchmarks.clinic.owner;

import jakarta.validation.Valid;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/** Booking a visit for a pet: a validated form. */
@Controller
class VisitController {
  private final PetRepository pets;
  private final VisitRepository visits;

  VisitController(PetRepository pets, VisitRepository visits) {
    this.pets = pets;
    this.visits = visits;
  }

  @ModelAttribute("pet")
  Pet pet(@PathVariable int ownerId, @PathVariable int petId) {
    return pets.findByIdAndOwnerId(petId, ownerId).orElseThrow(OwnerController::notFound);
  }

  @GetMapping("/owners/{ownerId}/pets/{petId}/visits/new")
  String form(@PathVariable int petId, Model model) {
    model.addAttribute("visit", new Visit());
    model.addAttribute("previous", visits.findByPetIdOrderByVisitDateDesc(petId));
    return "owners/visit";
  }

  @PostMapping("/owners/{ownerId}/pets/{petId}/visits/new")
  String book(
      @ModelAttribute("pet") Pet pet,
      @Valid @ModelAttribute("visit") Visit visit,
      BindingResult result,
      Model model) {
    if (result.hasErrors()) {
      model.addAttribute("previous", visits.findByPetIdOrderByVisitDateDesc(pet.getId()));
      return "owners/visit";
    }
    visit.setPet(pet);
    visits.save(visit);
    return "redirect:/owners/" + pet.getOwner().getId();
  }
}
